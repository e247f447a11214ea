package org.vigil.ehr.internal;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vigil.core.TenantId;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The outbox statements that decide what may still be sent, against the stack's PostgreSQL ({@code VIGIL_PG_*}, as
 * {@code ops/stack env} prints; the dev stack by default), run as {@code vigil_app} in transactions bound to the
 * tenant, as the dispatcher runs them. Fixtures are written as the schema owner; each test has tenants of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OutboxIT {

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String pgUrl() {
        return "jdbc:postgresql://" + env("VIGIL_PG_HOST", "127.0.0.1") + ":" + env("VIGIL_PG_PORT", "15432") + "/"
                + env("VIGIL_PG_DB", "vigil");
    }

    @BeforeAll
    void migrate() {
        // Run by failsafe with the stack up; a unit-test run that selects this package has no stack and skips it.
        try (Connection c = owner()) {
            c.isValid(2);
        } catch (SQLException e) {
            Assumptions.assumeFalse(e.getSQLState() != null && e.getSQLState().startsWith("08"),
                    "no PostgreSQL at " + pgUrl() + " (start ops/stack and eval \"$(ops/stack env)\"): " + e.getMessage());
            throw new IllegalStateException(e);
        }
        Flyway.configure()
                .dataSource(pgUrl(), env("VIGIL_PG_OWNER_USER", "vigil_owner"), env("VIGIL_PG_OWNER_PASSWORD", "vigil_owner_dev"))
                .locations("classpath:db/postgres")
                .placeholders(Map.of("approle", env("VIGIL_PG_APP_USER", "vigil_app")))
                .load()
                .migrate();
    }

    private static Connection owner() throws SQLException {
        return DriverManager.getConnection(pgUrl(), env("VIGIL_PG_OWNER_USER", "vigil_owner"),
                env("VIGIL_PG_OWNER_PASSWORD", "vigil_owner_dev"));
    }

    private static Connection app() throws SQLException {
        return DriverManager.getConnection(pgUrl(), env("VIGIL_PG_APP_USER", "vigil_app"), env("VIGIL_PG_APP_PASSWORD", "vigil_app_dev"));
    }

    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    /** One transaction on {@code c}, bound to the tenant (row-level security applies to the owner too). */
    private static <T> T in(Connection c, TenantId tenant, Work<T> work) throws SQLException {
        try (c) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('vigil.tenant', ?, true)")) {
                bind.setString(1, tenant.value());
                bind.execute();
            }
            T result = work.run(c);
            c.commit();
            return result;
        }
    }

    private static int exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            return ps.executeUpdate();
        }
    }

    /** A tenant with one MLLP endpoint per id and one patient per consent status given (null: no consent row). */
    private record Fixture(TenantId tenant, List<UUID> patients) {
    }

    private static Fixture fixture(List<String> endpoints, String... consents) throws SQLException {
        TenantId t = new TenantId("outbox-" + UUID.randomUUID().toString().substring(0, 8));
        List<UUID> patients = new ArrayList<>();
        in(owner(), t, c -> {
            exec(c, "INSERT INTO tenants (tenant_id, name) VALUES (?, ?)", t.value(), "Outbox test " + t);
            for (String e : endpoints) {
                // Disabled: a backend sharing the stack (the app's ITs) must not try to serve a placeholder document.
                exec(c, "INSERT INTO ehr_endpoints (tenant_id, endpoint_id, kind, document, enabled, updated_by) "
                        + "VALUES (?, ?, 'mllp', '{}', false, 'test')", t.value(), e);
            }
            for (String status : consents) {
                UUID p = UUID.randomUUID();
                exec(c, "INSERT INTO patients (tenant_id, patient_id, display_name) VALUES (?, ?, ?)", t.value(), p, "Patient " + p);
                if (status != null) {
                    exec(c, "INSERT INTO ehr_consents (tenant_id, patient_id, endpoint_id, status, changed_at, changed_by) "
                            + "VALUES (?, ?, ?, ?, now(), 'test')", t.value(), p, endpoints.get(0), status);
                }
                patients.add(p);
            }
            return null;
        });
        return new Fixture(t, patients);
    }

    /** A pending item, written directly (as a producer racing a revocation would have left it). */
    private static UUID pending(Fixture f, String endpoint, UUID patient) throws SQLException {
        UUID item = UUID.randomUUID();
        in(owner(), f.tenant(), c -> exec(c, "INSERT INTO ehr_outbox (tenant_id, item_id, endpoint_id, patient_id, kind, item_key, payload, "
                        + "status, created_at, next_attempt_at) VALUES (?, ?, ?, ?, 'reading', ?, '{}', 'pending', now(), now())",
                f.tenant().value(), item, endpoint, patient, item.toString()));
        return item;
    }

    private static String status(Fixture f, UUID item) throws SQLException {
        return in(owner(), f.tenant(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status || coalesce('/' || reason, '') FROM ehr_outbox WHERE item_id = ?")) {
                ps.setObject(1, item);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return rs.getString(1);
                }
            }
        });
    }

    /** As the dispatcher calls it before claiming: how many items it held. */
    private static int held(Fixture f, String endpoint) throws SQLException {
        return in(app(), f.tenant(), c -> Outbox.holdUnconsented(c, endpoint));
    }

    @Test
    void onlyPendingItemsOfPatientsWithoutActiveConsentForThisEndpointAreHeld() throws Exception {
        Fixture f = fixture(List.of("chart", "feed"), "active", "revoked", null);
        UUID consented = pending(f, "chart", f.patients().get(0));
        UUID revoked = pending(f, "chart", f.patients().get(1));
        UUID never = pending(f, "chart", f.patients().get(2));
        // Consent is per endpoint: the active one for 'chart' says nothing about 'feed'.
        UUID otherEndpoint = pending(f, "feed", f.patients().get(0));
        Fixture other = fixture(List.of("chart"), "revoked");
        UUID otherTenant = pending(other, "chart", other.patients().get(0));

        assertEquals(2, held(f, "chart"));

        assertEquals("pending", status(f, consented));
        assertEquals("held/consent-missing", status(f, revoked));
        assertEquals("held/consent-missing", status(f, never));
        assertEquals("pending", status(f, otherEndpoint));
        assertEquals("pending", status(other, otherTenant));
        assertEquals(0, held(f, "chart"));
        assertEquals(1, held(f, "feed"));
    }

    @Test
    void outcomesAreRecordedOnPendingItemsOnly() throws Exception {
        Fixture f = fixture(List.of("chart"), "active");
        UUID patient = f.patients().get(0);
        UUID sent = pending(f, "chart", patient);
        UUID heldMeanwhile = pending(f, "chart", patient);
        UUID refused = pending(f, "chart", patient);
        // A revocation while the send was in flight holds the item; the send's outcome must not undo that.
        in(owner(), f.tenant(), c -> exec(c, "UPDATE ehr_outbox SET status = 'held', reason = 'consent-revoked' WHERE item_id = ?", heldMeanwhile));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);  // what timestamptz keeps

        in(app(), f.tenant(), c -> {
            Outbox.delivered(c, List.of(Outcome.delivered(sent, "AA", "ID1", "ID1", "AA"),
                    Outcome.delivered(heldMeanwhile, "AA", "ID2", "ID2", "AA")), now);
            Outbox.failed(c, f.tenant(), new Outcome(refused, Outcome.Result.REFUSED, "AE bad", null, "ID3", "AE", null), true, false,
                    now.plusSeconds(5), now, 12);
            Outbox.failed(c, f.tenant(), new Outcome(heldMeanwhile, Outcome.Result.REFUSED, "AE", null, "ID2", "AE", null), true, true,
                    now, now, 12);
            Outbox.held(c, sent, "patient-not-found", "late");
            return null;
        });

        assertEquals("delivered", status(f, sent));
        assertEquals("held/consent-revoked", status(f, heldMeanwhile));
        assertEquals("pending", status(f, refused));
        assertEquals(List.of(1, 1, now.plusSeconds(5)), in(owner(), f.tenant(), c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT attempts, failures, next_attempt_at FROM ehr_outbox WHERE item_id = ?")) {
                ps.setObject(1, refused);
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    return List.of(rs.getInt(1), rs.getInt(2), rs.getTimestamp(3).toInstant());
                }
            }
        }));
    }
}
