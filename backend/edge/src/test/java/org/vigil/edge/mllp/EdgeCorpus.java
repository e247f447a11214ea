package org.vigil.edge.mllp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.hl7.Hl7v2Decoder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The HL7 v2 corpus under {@code ops/corpus/hl7v2} (a copy of ../shared/corpus) and the intake the tests use. */
final class EdgeCorpus {
    static final TenantId TENANT = new TenantId("acme");
    /** After every date in the corpus (2008–2009). */
    static final Instant RECEIVED = Instant.parse("2025-06-01T12:00:00Z");
    static final String J2_BP = "pcd01/ipf-valid-pcd01-request_IHE-PCD-TF-J2_BP.hl7";

    /** One manifest entry: the file, its upstream expectation, and what IPF's validator said of it. */
    record Entry(String file, String expected, String ipfVerdict) {
        boolean unverified() {
            return expected.contains("UNVERIFIED");
        }

        boolean expectedValid() {
            return expected.startsWith("valid");
        }
    }

    private EdgeCorpus() {
    }

    static Hl7Intake intake() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("ca.uhn.hl7v2"))
                .setLevel(ch.qos.logback.classic.Level.INFO);
        return new Hl7Intake(new Decoders(List.of(new Hl7v2Decoder()), new Normalizer(NormalizeSettings.defaults())),
                new Pcd01Conformance());
    }

    static Path root() {
        // Maven sets vigil.corpus to the vendored copy (ops/corpus.md); the fallback serves a run from the module dir.
        Path corpus = Path.of(System.getProperty("vigil.corpus", "../../ops/corpus")).resolve("hl7v2").toAbsolutePath().normalize();
        if (!Files.exists(corpus)) {
            throw new IllegalStateException("The outside test corpus is missing: " + corpus + " (see ops/corpus.md).");
        }
        return corpus;
    }

    static byte[] bytes(String file) {
        try {
            return Files.readAllBytes(root().resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every entry of manifest-ipf.json and manifest-hapi.json, in manifest order. */
    static List<Entry> entries() {
        ObjectMapper json = new ObjectMapper();
        List<Entry> entries = new ArrayList<>();
        try {
            for (JsonNode f : json.readTree(root().resolve("manifest-ipf.json").toFile()).get("files")) {
                entries.add(entry(f, f.get("file").asText()));
            }
            for (JsonNode f : json.readTree(root().resolve("manifest-hapi.json").toFile())) {
                entries.add(entry(f, f.get("file").asText().replaceFirst("^hl7v2/", "")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the HL7 v2 manifests", e);
        }
        return entries;
    }

    private static Entry entry(JsonNode f, String file) {
        JsonNode observed = f.path("observed_ipf_pcd01_validator").path("verdict");
        return new Entry(file, f.get("expected").asText(), observed.isMissingNode() ? "" : observed.asText());
    }
}
