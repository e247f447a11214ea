package org.vigil.simulator;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new SimulatorMain(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badCommandLinesExitWithTwoAndSayWhy() {
        assertEquals(2, run());
        assertEquals(2, run("bogus"));
        assertEquals(2, run("run", "--tenant", "demo", "--patients", "5", "--frobnicate", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--frobnicate"));
        assertEquals(2, run("run", "--patients", "5"));
        assertEquals(2, run("run", "--tenant", "Not A Slug", "--patients", "5"));
        assertEquals(2, run("run", "--tenant", "demo", "--patients", "many"));
        assertEquals(2, run("run", "--tenant", "demo", "--patients", "5", "--mode", "sideways"));
        assertEquals(2, run("seed", "--tenant", "demo"));
        assertEquals(2, run("token"));
        assertEquals(2, run("token", "--user", "carla.demo", "--tenant", "demo"));
        assertEquals(2, run("token", "--tenant", "demo", "--role", "boss"));
        assertEquals(2, run("token", "--role", "care-manager"), "a care manager belongs to a tenant");
        assertEquals(2, run("token", "--tenant", "Not A Slug"));
        assertEquals(2, run("token", "--tenant", "demo", "--password", "x"));
        assertEquals(2, run("print", "--tenant", "demo", "--patients"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"));
    }

    @Test
    void printWritesOneLinePerMessage() {
        assertEquals(0, run("print", "--tenant", "demo", "--patients", "3", "--count", "25", "--faults", "0.1"));
        List<String> lines = out().lines().toList();
        assertEquals(25, lines.size());
        assertTrue(lines.get(0).startsWith("vigil.demo.ingest.canonical.BPC-demo-000000 "));
    }

    @Test
    void patientIdPrintsTheFirstPatientsUuid() {
        assertEquals(0, run("patient-id", "--tenant", "demo", "--index", "0"));
        assertEquals(Fleet.generate(new org.vigil.core.TenantId("demo"), 1, 42).patients().get(0).patientId().toString(),
                out().strip());
    }

    @Test
    void tokenFailsClearlyWithoutKeycloak() {
        assertEquals(1, run("token", "--user", "carla.demo", "--keycloak", "http://127.0.0.1:1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("Keycloak is not answering at http://127.0.0.1:1"),
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out());
    }

    @Test
    void runFailsClearlyWithoutNats() {
        assertEquals(1, run("run", "--tenant", "demo", "--patients", "2", "--nats", "nats://127.0.0.1:1", "--count", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot connect to NATS"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(60), Durations.parse("60s"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofHours(12), Durations.parse("12h"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("PT1H30M"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5y"));
    }
}
