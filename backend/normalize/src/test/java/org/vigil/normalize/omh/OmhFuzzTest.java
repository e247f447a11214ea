package org.vigil.normalize.omh;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.FuzzTally;
import org.vigil.normalize.Normalized;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated payloads, seeded from the upstream corpus, through {@link Decoders}: whatever comes in, no
 * exception escapes, the decoder never crashes (which Decoders would hide as MALFORMED_PAYLOAD), and every input
 * ends as at least one reading or at least one problem.
 */
class OmhFuzzTest {
    private static final long SEED = 20_250_601L;
    /** 6–10 s of CPU on a build machine, most of it JIT warm-up and schema validation. */
    private static final int INPUTS = 100_000;
    /**
     * On a machine shared with other builds the wall time can triple; past this budget the run stops early (the
     * inputs are a fixed sequence, so it checked a prefix of the same inputs) and says so.
     */
    private static final Duration BUDGET = Duration.ofSeconds(18);
    private static final int AT_LEAST = 20_000;
    /** Inputs decoded twice to check that a decoder is a pure function of the bytes. */
    private static final int REPEATED = 2_000;

    /** The validator logs every date-time it refuses at DEBUG: thousands of lines here, none of them news. */
    @BeforeAll
    static void quietValidator() {
        validatorLog().setLevel(Level.INFO);
    }

    @AfterAll
    static void restoreValidatorLog() {
        validatorLog().setLevel(null);
    }

    private static Logger validatorLog() {
        return (Logger) LoggerFactory.getLogger("com.networknt.schema");
    }

    @Test
    void everyInputEndsAsReadingsOrProblemsAndNothingEscapes() {
        Decoders decoders = OmhCorpus.decoders();
        OmhMutator inputs = new OmhMutator(new Random(SEED), seeds());
        FuzzTally tally = new FuzzTally(OmhFuzzTest::show);

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        long deadline = start + BUDGET.toNanos();
        for (int i = 0; i < INPUTS; i++) {
            if (i >= AT_LEAST && System.nanoTime() > deadline) {
                break;
            }
            byte[] input = inputs.next();
            Normalized n = tally.add(input, () -> OmhCorpus.decode(decoders, input));
            if (i < REPEATED) {
                assertEquals(n, OmhCorpus.decode(decoders, input),
                        "input " + i + " decoded differently twice: " + show(input));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;

        int inputCount = tally.inputs();
        System.out.printf("OMH fuzz (seed %d%s) in %,d ms (%,d ms CPU): %s%n",
                SEED, inputCount < INPUTS ? ", stopped early: " + BUDGET.toSeconds() + " s budget" : "",
                millis, cpuMillis, tally);
        tally.assertSound();
        assertTrue(tally.accepted() > inputCount / 20 && tally.partial() > inputCount / 50 && tally.rejected() > inputCount / 2,
                "the mix should exercise every outcome: " + tally);
    }

    /** Every corpus body as a data point, and a few that use what the corpus does not (intervals, device ids). */
    private static List<ObjectNode> seeds() {
        List<ObjectNode> seeds = new ArrayList<>();
        Path omh = OmhCorpus.root().resolve("test-data/omh");
        for (Path f : OmhCorpus.files("omh")) {
            Path rel = omh.relativize(f);
            seeds.add(OmhCorpus.dataPoint("omh", rel.getName(0).toString(), rel.getName(1).toString(), OmhCorpus.read(f)));
        }
        seeds.add(parse("""
                {"header":{"id":"a","creation_date_time":"2025-06-01T11:00:00Z",
                  "schema_id":{"namespace":"omh","name":"step-count","version":"3.0"},
                  "acquisition_provenance":{"source_name":"app","device_id":"PEDO-1","modality":"sensed"}},
                 "body":{"step_count":{"value":5000,"unit":"steps"},"effective_time_frame":{"time_interval":
                   {"start_date_time":"2025-05-31T00:00:00Z","duration":{"value":1,"unit":"d"}}}}}"""));
        seeds.add(parse("""
                {"header":{"id":"b","creation_date_time":"2025-06-01T11:00:00Z",
                  "schema_id":{"namespace":"omh","name":"body-weight","version":"3.0"}},
                 "body":{"body_weight":{"value":165.5,"unit":"lb"},"effective_time_frame":{"time_interval":
                   {"end_date_time":"2025-05-31T07:00:00-04:00","duration":{"value":15,"unit":"min"}}}}}"""));
        seeds.add(parse("""
                {"header":{"id":"c","creation_date_time":"2025-06-01T11:00:00Z",
                  "schema_id":{"namespace":"omh","name":"blood-glucose","version":"4.0"}},
                 "body":{"blood_glucose":{"value":6.1,"unit":"mmol/L"},"effective_time_frame":{"date_time":"2025-05-31T07:00:00Z"},
                   "specimen_source":"capillary blood","temporal_relationship_to_meal":"fasting"}}"""));
        return seeds;
    }

    private static ObjectNode parse(String json) {
        try {
            return (ObjectNode) OmhCorpus.json().readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String show(byte[] input) {
        String s = new String(input, StandardCharsets.UTF_8);
        return s.length() > 400 ? s.substring(0, 400) + "… (" + input.length + " bytes)" : s;
    }
}
