package org.vigil.app;

import org.junit.jupiter.api.Test;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend is killed with SIGKILL while it is writing batches, then started again: every reading is stored
 * exactly once. The backend runs as a separate process so the kill is real.
 */
class CrashRecoveryIT {
    private static final int READINGS = 60_000;

    @Test
    void killedMidBatchAndRestartedLosesAndDuplicatesNothing() throws Exception {
        String tenant;
        try (Registry registry = Registry.newTenant("crash")) {
            tenant = registry.tenant();
            UUID patient = registry.patient("Crash Test Patient");
            registry.assign(registry.device("scale", "CRASH-SCALE"), patient, null, null);
        }
        try (Devices devices = new Devices(tenant)) {
            devices.publishWeights("CRASH-SCALE", READINGS, Instant.parse("2026-01-01T00:00:00Z"));
        }

        Path log = Files.createTempFile("vigil-crash-backend-", ".log");
        Process first = startBackend(log);
        long atKill;
        try {
            atKill = Eventually.await(Duration.ofSeconds(90), () -> count(tenant, true), n -> n > 0, "first committed batch");
        } finally {
            first.destroyForcibly().waitFor();
        }
        long afterKill = count(tenant, true);
        assertTrue(afterKill < READINGS, "the kill must land mid-stream (stored " + afterKill + " of " + READINGS + ")");

        Process second = startBackend(log);
        try {
            Eventually.await(Duration.ofSeconds(90), () -> count(tenant, true), n -> n >= READINGS, "all readings after restart");
            Thread.sleep(1_500); // anything redelivered late would show up now
            assertEquals(READINGS, count(tenant, true), "readings as the API sees them (FINAL)");
            assertEquals(READINGS, count(tenant, false), "physical rows: redelivered batches were not written twice");
        } finally {
            second.destroy();
            boolean stopped = second.waitFor(30, TimeUnit.SECONDS);
            second.destroyForcibly();
            assertTrue(stopped, "the backend shuts down within 30 s of SIGTERM; see " + log);
        }
        System.out.printf("crash test: %d stored when killed, %d after restart%n", atKill, READINGS);
    }

    private static Process startBackend(Path log) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path keys = Files.createTempDirectory("vigil-crash-jwt");
        org.vigil.simulator.DevTokens.generate(keys);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-Xmx512m",
                "-cp", System.getProperty("java.class.path"),
                "-Dmicronaut.server.port=" + port,
                "-Dmicronaut.security.token.jwt.signatures.jwks-static.vigil.path=file:" + keys.resolve("jwks.json"),
                // Small batches so that the kill lands between commits, not after the last one.
                "-Dvigil.ingest.max-batch=1000",
                "-Dvigil.ingest.max-delay=50ms",
                // What the dead process held is redelivered after the ack wait: keep the test short.
                "-Dvigil.ingest.ack-wait=5s",
                "org.vigil.app.VigilApplication");
        pb.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        Process p = pb.start();
        HttpClient http = HttpClient.newHttpClient();
        Eventually.await(Duration.ofSeconds(60), () -> {
            if (!p.isAlive()) {
                throw new AssertionError("backend exited with " + p.exitValue() + "; see " + log);
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
            } catch (Exception e) {
                return -1;
            }
        }, status -> status == 200, "backend health on port " + port + " (log " + log + ")");
        return p;
    }

    private static long count(String tenant, boolean fin) {
        String url = "jdbc:clickhouse://127.0.0.1:" + StackEnv.clickHouseHttpPort() + "/" + StackEnv.get("VIGIL_CH_DB", "vigil")
                + "?compress=false";
        try (java.sql.Connection c = DriverManager.getConnection(url);
             PreparedStatement ps = c.prepareStatement("SELECT count() FROM readings " + (fin ? "FINAL " : "") + "WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
