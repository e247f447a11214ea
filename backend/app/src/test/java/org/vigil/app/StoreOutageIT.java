package org.vigil.app;

import io.micronaut.core.type.Argument;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;
import org.vigil.alerting.Alerts;
import org.vigil.core.TenantId;
import org.vigil.ingest.IngestMonitor;
import org.vigil.telemetry.ReadingHistory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * ClickHouse is killed while readings keep arriving: nothing is acknowledged until it is back, and then every
 * reading is stored exactly once; meanwhile the alert circuit, which does not depend on ClickHouse, keeps opening
 * alerts. Uses the stack's own scripts to kill and restart the server.
 */
@MicronautTest
class StoreOutageIT extends BackendTestSupport {
    private static final int BEFORE = 2_000;
    private static final int DURING = 3_000;

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    ReadingHistory history;
    @Inject
    IngestMonitor ingest;

    @Test
    void readingsPublishedWhileClickHouseIsDownAreStoredWhenItReturns() throws Exception {
        TenantId tenant;
        UUID patient;
        try (Registry registry = Registry.newTenant("outage")) {
            tenant = new TenantId(registry.tenant());
            patient = registry.patient("Outage Patient");
            registry.assign(registry.device("scale", "OUTAGE-SCALE"), patient, null, null);
            registry.assign(registry.device("blood-pressure-cuff", "OUTAGE-CUFF"), patient, null, null);
        }
        try (Devices devices = new Devices(tenant.value())) {
            devices.publishWeights("OUTAGE-SCALE", BEFORE, Instant.parse("2026-03-01T00:00:00Z"));
            Eventually.await(Duration.ofSeconds(30), () -> history.count(tenant), n -> n == BEFORE, "readings before the outage");

            long failuresBefore = ingest.stats().failedFlushes();
            killClickHouse();
            try {
                devices.publishWeights("OUTAGE-SCALE", DURING, Instant.parse("2026-04-01T00:00:00Z"));
                Eventually.await(Duration.ofSeconds(30), () -> ingest.stats().failedFlushes(), n -> n > failuresBefore,
                        "the writer noticing the outage");
                assertTrue(ingest.pending() > 0, "messages stay unacknowledged while the store is down");
                assertEquals(HttpStatus.SERVICE_UNAVAILABLE, status(get("/api/v1/patients/" + patient + "/latest", tenant.value())),
                        "the API reports the outage");
                assertEquals(HttpStatus.SERVICE_UNAVAILABLE, status(HttpRequest.GET("/health")), "health says DOWN");

                // The alert circuit does not wait for the telemetry store: a critical value still opens an alert.
                long published = System.nanoTime();
                devices.bloodPressure("OUTAGE-CUFF", 196, 100, Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
                List<Alerts.AlertView> open = Eventually.await(Duration.ofSeconds(10), () -> http.toBlocking().retrieve(
                        get("/api/v1/alerts?patient=" + patient, tenant.value()), Argument.listOf(Alerts.AlertView.class)),
                        a -> !a.isEmpty(), "an alert while ClickHouse is down");
                assertEquals("critical", open.get(0).severity());
                System.out.printf("StoreOutageIT: alert visible %d ms after publishing, ClickHouse down%n",
                        (System.nanoTime() - published) / 1_000_000);
            } finally {
                stack("start");
            }
        }
        // + 2: the blood-pressure panel published during the outage is stored as its two components.
        Eventually.await(Duration.ofSeconds(60), () -> history.count(tenant), n -> n == BEFORE + DURING + 2, "all readings after the outage");
    }

    private HttpStatus status(HttpRequest<?> request) {
        try {
            return http.toBlocking().exchange(request, String.class).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    private static Path root() {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.isExecutable(p.resolve("ops/stack"))) {
            p = p.getParent();
        }
        if (p == null) {
            throw new IllegalStateException("ops/stack not found above " + Path.of("").toAbsolutePath());
        }
        return p;
    }

    private static String stackName() {
        return StackEnv.get("VIGIL_STACK", "dev");
    }

    private static void killClickHouse() throws Exception {
        Path pidFile = root().resolve(".vigil").resolve(stackName()).resolve("clickhouse/clickhouse-server.pid");
        long pid = Long.parseLong(Files.readString(pidFile).trim());
        ProcessHandle server = ProcessHandle.of(pid).orElseThrow(() -> new IllegalStateException("no clickhouse pid " + pid));
        server.destroyForcibly();
        server.onExit().get(30, TimeUnit.SECONDS);
    }

    private static void stack(String command) throws Exception {
        Process p = new ProcessBuilder(root().resolve("ops/stack").toString(), command, "--name", stackName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), "ops/stack " + command + " failed:\n" + out);
    }
}
