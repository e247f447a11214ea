package org.vigil.app;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

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
        long atKill;
        try (BackendProcess first = start(log)) {
            atKill = Eventually.await(Duration.ofSeconds(90), () -> count(tenant, true), n -> n > 0, "first committed batch");
            first.kill();
        }
        long afterKill = count(tenant, true);
        assertTrue(afterKill < READINGS, "the kill must land mid-stream (stored " + afterKill + " of " + READINGS + ")");

        try (BackendProcess second = start(log)) {
            Eventually.await(Duration.ofSeconds(90), () -> count(tenant, true), n -> n >= READINGS, "all readings after restart");
            Thread.sleep(1_500); // anything redelivered late would show up now
            assertEquals(READINGS, count(tenant, true), "readings as the API sees them (FINAL)");
            assertEquals(READINGS, count(tenant, false), "physical rows: redelivered batches were not written twice");
            assertTrue(second.stop(Duration.ofSeconds(30)), "the backend shuts down within 30 s of SIGTERM; see " + log);
        }
        System.out.printf("crash test: %d stored when killed, %d after restart%n", atKill, READINGS);
    }

    private static BackendProcess start(Path log) throws Exception {
        return BackendProcess.start(log,
                // Small batches so that the kill lands between commits, not after the last one.
                "vigil.ingest.max-batch=1000",
                "vigil.ingest.max-delay=50ms",
                // What the dead process held is redelivered after the ack wait: keep the test short.
                "vigil.ingest.ack-wait=5s");
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
