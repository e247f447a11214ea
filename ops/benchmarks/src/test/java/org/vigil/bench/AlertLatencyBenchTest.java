package org.vigil.bench;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The alerts benchmark's options and its percentile arithmetic; the run itself needs the stack. */
class AlertLatencyBenchTest {

    @Test
    void defaultsAreTheIssuesFigures() {
        AlertLatencyBench.Options o = AlertLatencyBench.Options.parse(List.of("--app-jar", "app.jar"));
        assertEquals(new AlertLatencyBench.Options(10_000, Duration.ofSeconds(60), 300, 2_000, Path.of("app.jar")), o);
    }

    @Test
    void optionsAcceptDurationsAndUnderscores() {
        AlertLatencyBench.Options o = AlertLatencyBench.Options.parse(List.of("--rate", "5_000", "--duration", "2m",
                "--probes", "50", "--patients", "100", "--app-jar", "a.jar"));
        assertEquals(5_000, o.rate());
        assertEquals(Duration.ofMinutes(2), o.duration());
        assertEquals(50, o.probes());
        assertEquals(100, o.patients());
    }

    @Test
    void refusesWhatCannotRun() {
        assertThrows(IllegalArgumentException.class, () -> AlertLatencyBench.Options.parse(List.of("--rate", "100")));
        assertThrows(IllegalArgumentException.class, () -> AlertLatencyBench.Options.parse(List.of("--probes", "0", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> AlertLatencyBench.Options.parse(List.of("--duration", "soon", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> AlertLatencyBench.Options.parse(List.of("--count", "1", "--app-jar", "a")));
        assertThrows(IllegalArgumentException.class, () -> AlertLatencyBench.Options.parse(List.of("--rate")));
    }

    @Test
    void percentilesAreNearestRankSoEveryFigureWasMeasured() {
        // 1..300 ms: p50 is the 150th value, p90 the 270th, p99 the 297th
        Latencies l = Latencies.of(IntStream.rangeClosed(1, 300).mapToObj(Duration::ofMillis).toList());
        assertEquals(300, l.count());
        assertEquals(150.0, l.p50());
        assertEquals(270.0, l.p90());
        assertEquals(297.0, l.p99());
        assertEquals(300.0, l.max());
    }

    @Test
    void oneValueIsEveryPercentileAndNoneIsNotANumber() {
        Latencies one = Latencies.of(List.of(Duration.ofMillis(42)));
        assertEquals(42.0, one.p50());
        assertEquals(42.0, one.p99());
        Latencies none = Latencies.of(List.of());
        assertEquals(0, none.count());
        assertTrue(Double.isNaN(none.p99()));
    }
}
