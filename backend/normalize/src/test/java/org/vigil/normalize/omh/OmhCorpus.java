package org.vigil.normalize.omh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Open mHealth corpus under {@code ops/corpus/openmhealth} (a copy of ../shared/corpus), and how the tests
 * turn its bare measure bodies into data points and send them through {@link Decoders}.
 */
final class OmhCorpus {
    /** After every date in the corpus (the newest is 2023), so the future-time rule rejects none of them. */
    static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00Z");
    static final String CREATED = "2025-06-01T11:59:00Z";
    static final TenantId TENANT = new TenantId("acme");
    static final String SUBJECT_DEVICE = "phone-7";

    private static final ObjectMapper JSON = new ObjectMapper();

    private OmhCorpus() {
    }

    static Decoders decoders() {
        return new Decoders(List.of(new OmhDecoder(new OmhSchemas())), new Normalizer(NormalizeSettings.defaults()));
    }

    /** The corpus root; fails the test run with a sentence saying where it looked when it is not there. */
    static Path root() {
        // Maven sets vigil.corpus to the vendored copy (ops/corpus.md); the fallback serves a run from the module dir.
        Path corpus = Path.of(System.getProperty("vigil.corpus", "../../ops/corpus")).resolve("openmhealth").toAbsolutePath().normalize();
        if (!Files.exists(corpus)) {
            throw new IllegalStateException("The outside test corpus is missing: " + corpus + " (see ops/corpus.md).");
        }
        return corpus;
    }

    /** Every {@code *.json} under {@code test-data/<family>}, sorted so the table and the fuzz seeds are stable. */
    static List<Path> files(String family) {
        try (Stream<Path> s = Files.walk(root().resolve("test-data").resolve(family))) {
            return s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode read(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read corpus file " + file, e);
        }
    }

    /** A full data point: the header a phone app would send, around {@code body}. */
    static ObjectNode dataPoint(String namespace, String name, String version, JsonNode body) {
        ObjectNode point = JSON.createObjectNode();
        ObjectNode header = point.putObject("header");
        header.put("id", "dp-" + name + "-" + version);
        header.put("creation_date_time", CREATED);
        ObjectNode schemaId = header.putObject("schema_id");
        schemaId.put("namespace", namespace).put("name", name).put("version", version);
        header.putObject("acquisition_provenance").put("source_name", "Vigil test").put("modality", "sensed");
        point.set("body", body);
        return point;
    }

    static ObjectMapper json() {
        return JSON;
    }

    static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Normalized decode(Decoders decoders, byte[] bytes) {
        return decoders.decode(new Payload(TENANT, OmhDecoder.FORMAT, SUBJECT_DEVICE, bytes, RECEIVED));
    }
}
