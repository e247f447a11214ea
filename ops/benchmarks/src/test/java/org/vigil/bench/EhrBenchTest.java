package org.vigil.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EHR benchmark's options and its arithmetic; the run itself needs the stack. */
class EhrBenchTest {

    @Test
    void defaultsAreTheIssuesFigures() {
        EhrBench.Options o = EhrBench.Options.parse(List.of("--app-jar", "app.jar"));
        assertEquals(new EhrBench.Options(10_000, 100, 10, 50, 4, List.of(EhrBench.Mode.values()), Path.of("app.jar")), o);
        assertEquals(1, o.batch(EhrBench.Mode.MLLP_STRICT));
        assertEquals(10, o.batch(EhrBench.Mode.MLLP_PIPELINED));
        assertEquals(1, o.batch(EhrBench.Mode.FHIR_SINGLE));
        assertEquals(50, o.batch(EhrBench.Mode.FHIR_BUNDLES));
        assertEquals(1_000, o.warmUp());
    }

    @Test
    void optionsChooseModesAndSizes() {
        EhrBench.Options o = EhrBench.Options.parse(List.of("--items", "2_000", "--patients", "500", "--window", "20",
                "--bundle-size", "100", "--concurrency", "2", "--modes", "fhir-bundles, mllp-strict,fhir-bundles", "--app-jar", "a.jar"));
        assertEquals(2_000, o.items());
        assertEquals(List.of(EhrBench.Mode.FHIR_BUNDLES, EhrBench.Mode.MLLP_STRICT), o.modes());
        assertEquals(20, o.batch(EhrBench.Mode.MLLP_PIPELINED));
        assertEquals(100, o.batch(EhrBench.Mode.FHIR_BUNDLES));
        assertEquals(2, o.concurrency());
        // every patient is in the warm-up, so their searches and Device writes are not in the figures
        assertEquals(500, o.warmUp());
    }

    @Test
    void refusesWhatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> EhrBench.Options.parse(List.of("--items", "100")));
        assertThrows(IllegalArgumentException.class, () -> EhrBench.Options.parse(List.of("--items", "50", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> EhrBench.Options.parse(List.of("--window", "1", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> EhrBench.Options.parse(List.of("--bundle-size", "501", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> EhrBench.Options.parse(List.of("--concurrency", "0", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> EhrBench.Options.parse(List.of("--modes", "fhir", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> EhrBench.Options.parse(List.of("--count", "1", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> EhrBench.Options.parse(List.of("--items")));
    }

    @Test
    void onlyTheTwoModesTheIssueNamesHaveAims() {
        assertEquals(300.0, EhrBench.Mode.MLLP_STRICT.aim());
        assertEquals(500.0, EhrBench.Mode.FHIR_BUNDLES.aim());
        assertEquals(null, EhrBench.Mode.MLLP_PIPELINED.aim());
        assertEquals(null, EhrBench.Mode.FHIR_SINGLE.aim());
    }

    @Test
    void exactlyOnceCountsEachIdOnceAndSaysWhatWentWrong() {
        EhrBench.Once exact = EhrBench.Once.of(List.of("a", "b"), Map.of("a", 1, "b", 1, "other", 3));
        assertTrue(exact.exact());
        EhrBench.Once wrong = EhrBench.Once.of(List.of("a", "b", "c"), Map.of("a", 1, "b", 2));
        assertFalse(wrong.exact());
        assertEquals(new EhrBench.Once(3, 1, 1, 1), wrong);
        assertTrue(wrong.summary().startsWith("NO"), wrong.summary());
    }

    @Test
    void drainRatesCountFromTheListenerAndFromTheFirstDelivery() {
        // 1,000 items, the first 20 at 0.5 s after the listener came back, the last at 2.5 s
        EhrBench.Drain d = new EhrBench.Drain(1_000, Duration.ofMillis(500), Duration.ofMillis(2_500), Duration.ofSeconds(2), 20);
        assertEquals(400.0, d.perSecond(), 1e-9);
        assertEquals(490.0, d.steadyPerSecond(), 1e-9);
    }
}
