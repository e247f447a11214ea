package org.vigil.normalize.hl7;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The HL7 v2 corpus under {@code ops/corpus/hl7v2} (a copy of ../shared/corpus), and how the tests send its
 * messages through {@link Decoders}.
 */
final class Hl7Corpus {
    static final TenantId TENANT = new TenantId("acme");
    /** After every date in the corpus (2008–2009) and in the hand-written messages (2024). */
    static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00Z");

    private static final ObjectMapper JSON = new ObjectMapper();

    private Hl7Corpus() {
    }

    static Decoders decoders() {
        quietHapi();
        return new Decoders(List.of(new Hl7v2Decoder()), new Normalizer(NormalizeSettings.defaults()));
    }

    /**
     * This module has no logback configuration, so everything logs at DEBUG, and HAPI logs every class lookup: at
     * DEBUG that costs more than parsing (the app's logback.xml has INFO).
     */
    static void quietHapi() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ca.uhn.hl7v2"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
    }

    static Normalized decode(Decoders decoders, byte[] bytes) {
        return decoders.decode(new Payload(TENANT, Hl7v2Decoder.FORMAT, "gateway", bytes, RECEIVED));
    }

    /** The corpus root; fails the test run with a sentence saying where it looked when it is not there. */
    static Path root() {
        // Maven sets vigil.corpus to the vendored copy (ops/corpus.md); the fallback serves a run from the module dir.
        Path corpus = Path.of(System.getProperty("vigil.corpus", "../../ops/corpus")).toAbsolutePath().normalize();
        if (!Files.exists(corpus)) {
            throw new IllegalStateException("The outside test corpus is missing: " + corpus + " (see ops/corpus.md).");
        }
        return corpus;
    }

    static byte[] bytes(String relativeToHl7v2) {
        try {
            return Files.readAllBytes(root().resolve("hl7v2").resolve(relativeToHl7v2));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String relativeToHl7v2) {
        return new String(bytes(relativeToHl7v2), StandardCharsets.ISO_8859_1);
    }

    /** Every message file named in manifest-ipf.json and manifest-hapi.json, relative to {@code hl7v2/}. */
    static List<String> manifestFiles() {
        List<String> files = new ArrayList<>();
        try {
            for (JsonNode f : JSON.readTree(root().resolve("hl7v2/manifest-ipf.json").toFile()).get("files")) {
                files.add(f.get("file").asText());
            }
            for (JsonNode f : JSON.readTree(root().resolve("hl7v2/manifest-hapi.json").toFile())) {
                files.add(f.get("file").asText().replaceFirst("^hl7v2/", ""));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the HL7 v2 corpus manifests", e);
        }
        return files;
    }
}
