package org.vigil.normalize.omh;

import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.resource.InputStreamSource;
import com.networknt.schema.resource.SchemaLoader;

import java.io.ByteArrayInputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Serves the Open mHealth and IEEE 1752.1 schemas from this jar under their published w3id URIs, so that
 * relative and absolute {@code $ref}s resolve exactly as upstream and nothing is ever fetched over the network.
 * <p>
 * Upstream's {@code *-1.x.json} files are git symlinks to the latest minor version; exported, they contain only the
 * target's file name. This loader follows them the way git would.
 */
final class OmhSchemaLoader implements SchemaLoader {
    static final String OMH_BASE = "https://w3id.org/openmhealth/schemas/omh/";
    static final String IEEE_BASE = "https://w3id.org/ieee/ieee-1752-schema/";

    private static final Map<String, String> RESOURCE_DIRS = Map.of(
            OMH_BASE, "omh/schema/omh/",
            IEEE_BASE, "omh/schema/ieee/");
    /** A symlink to a symlink is legal in git but none exists upstream; the bound only stops a cycle. */
    private static final int MAX_LINKS = 4;

    private final ClassLoader classLoader;

    OmhSchemaLoader(ClassLoader classLoader) {
        this.classLoader = classLoader;
    }

    @Override
    public InputStreamSource getSchema(AbsoluteIri iri) {
        String uri = iri.toString();
        for (Map.Entry<String, String> base : RESOURCE_DIRS.entrySet()) {
            String name = uri.startsWith(base.getKey()) ? uri.substring(base.getKey().length()) : null;
            if (name != null && !name.isEmpty() && !name.contains("/")) {
                return () -> open(base.getValue(), name, uri);
            }
        }
        if (uri.startsWith("classpath:") || uri.startsWith("resource:")) {
            return null; // the validator's own copies of the JSON Schema meta-schemas, mapped there from json-schema.org
        }
        // Returning null would hand the IRI to the validator's default loader, which fetches it over the network.
        return () -> {
            throw new FileNotFoundException("Schema " + uri + " is not bundled with Vigil and is never fetched over the"
                    + " network; add it under src/main/resources/omh/schema/.");
        };
    }

    private InputStream open(String dir, String name, String uri) throws IOException {
        String current = name;
        for (int links = 0; links <= MAX_LINKS; links++) {
            byte[] bytes = read(dir + current, uri);
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (text.startsWith("{")) {
                return new ByteArrayInputStream(bytes);
            }
            if (text.contains("/") || !text.endsWith(".json")) {
                throw new IOException("Bundled schema " + dir + current
                        + " is neither JSON nor a link to a sibling schema.");
            }
            current = text;
        }
        throw new IOException("Bundled schema " + dir + name + " links through more than " + MAX_LINKS + " files.");
    }

    private byte[] read(String resource, String uri) throws IOException {
        try (InputStream in = classLoader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new FileNotFoundException("Schema " + uri + " is not bundled with Vigil (no resource "
                        + resource + ").");
            }
            return in.readAllBytes();
        }
    }
}
