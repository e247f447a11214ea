package org.vigil.app;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connects to PostgreSQL as the application role (what the backend runs as) and tries to read and write another
 * tenant's rows in every table. The app context is started only so Flyway has migrated the schema.
 */
@MicronautTest
class RowLevelSecurityIT extends BackendTestSupport {
    private static final List<String> TABLES = List.of("tenants", "patients", "patient_identifiers", "devices",
            "device_assignments", "dead_letters");

    private Registry a;
    private Registry b;

    @BeforeAll
    void twoTenantsWithRowsEverywhere() throws Exception {
        a = Registry.newTenant("rls-a");
        b = Registry.newTenant("rls-b");
        for (Registry r : List.of(a, b)) {
            UUID p = r.patient("Patient of " + r.tenant());
            UUID d = r.device("scale", "S-" + r.tenant());
            r.assign(d, p, Instant.parse("2025-01-01T00:00:00Z"), null);
            try (Connection c = app(); Statement s = c.createStatement()) {
                c.setAutoCommit(false);
                bind(c, r.tenant());
                s.executeUpdate("INSERT INTO dead_letters (tenant_id, dead_letter_id, received_at, subject, error_code, reason, payload) "
                        + "VALUES ('" + r.tenant() + "', gen_random_uuid(), now(), 'vigil." + r.tenant() + ".ingest.canonical.x', "
                        + "'MALFORMED_JSON', 'test', 'x'::bytea)");
                c.commit();
            }
        }
    }

    @AfterAll
    void close() throws Exception {
        a.close();
        b.close();
    }

    private static Connection app() throws SQLException {
        return DriverManager.getConnection(StackEnv.pgUrl(), StackEnv.appUser(), StackEnv.appPassword());
    }

    private static void bind(Connection c, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT set_config('vigil.tenant', ?, true)")) {
            ps.setString(1, tenant);
            ps.execute();
        }
    }

    private static long count(Connection c, String table, String tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM " + table + " WHERE tenant_id = ?")) {
            ps.setString(1, tenant);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    @Test
    void theApplicationRoleSeesOnlyTheBoundTenant() throws Exception {
        try (Connection c = app()) {
            c.setAutoCommit(false);
            bind(c, b.tenant());
            for (String table : TABLES) {
                assertTrue(count(c, table, b.tenant()) > 0, table + " has B's rows");
                assertEquals(0, count(c, table, a.tenant()), "B's session reads none of A's rows in " + table);
            }
            c.rollback();
        }
    }

    @Test
    void withoutATenantEveryTableIsEmpty() throws Exception {
        try (Connection c = app(); Statement s = c.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet rs = s.executeQuery("SELECT count(*) FROM " + table)) {
                    rs.next();
                    assertEquals(0, rs.getLong(1), table + " must fail closed");
                }
            }
        }
    }

    @Test
    void theApplicationRoleCannotWriteIntoAnotherTenant() throws Exception {
        try (Connection c = app(); Statement s = c.createStatement()) {
            c.setAutoCommit(false);
            bind(c, b.tenant());
            PSQLException e = assertThrows(PSQLException.class, () -> s.executeUpdate(
                    "INSERT INTO patients (tenant_id, patient_id, display_name) VALUES ('" + a.tenant() + "', gen_random_uuid(), 'Intruder')"));
            assertTrue(e.getMessage().contains("row-level security"), e.getMessage());
            c.rollback();
            bind(c, b.tenant());
            assertEquals(0, s.executeUpdate("UPDATE patients SET display_name = 'Renamed' WHERE tenant_id = '" + a.tenant() + "'"));
            assertEquals(0, s.executeUpdate("DELETE FROM dead_letters WHERE tenant_id = '" + a.tenant() + "'"));
            c.rollback();
        }
    }

    @Test
    void theApplicationRoleCannotSwitchOffRowLevelSecurity() throws Exception {
        try (Connection c = app(); Statement s = c.createStatement()) {
            assertThrows(PSQLException.class, () -> s.execute("ALTER TABLE patients DISABLE ROW LEVEL SECURITY"));
            assertThrows(PSQLException.class, () -> s.execute("SET row_security = off; SELECT count(*) FROM patients"));
        }
    }
}
