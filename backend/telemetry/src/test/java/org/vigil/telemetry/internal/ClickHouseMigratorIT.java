package org.vigil.telemetry.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.telemetry.ClickHouseSettings;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Against the real ClickHouse of the stack, in a database of its own. */
class ClickHouseMigratorIT {
    private final String database = "migrator_it_" + UUID.randomUUID().toString().substring(0, 8);
    private final ClickHouseConnections connections = new ClickHouseConnections(new ClickHouseSettings(
            "jdbc:clickhouse://127.0.0.1:" + env("VIGIL_CH_HTTP_PORT", "18123"), database, "default", "", 30_000));
    private final ClickHouseMigrator migrator = new ClickHouseMigrator(connections);

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    @AfterEach
    void drop() throws Exception {
        try (Connection c = connections.openServer(); Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + database);
        }
        connections.close();
    }

    @Test
    void createsTheDatabaseAppliesEveryVersionOnceAndARerunIsANoOp() throws Exception {
        List<Integer> first = migrator.migrate();
        assertEquals(ClickHouseMigrator.scripts().stream().map(ClickHouseMigrator.Script::version).toList(), first);
        assertTrue(first.contains(1));
        assertEquals(List.of(), migrator.migrate(), "second run applies nothing");
        try (Statement s = connections.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT count() FROM schema_versions")) {
            rs.next();
            assertEquals(first.size(), rs.getInt(1), "each version recorded once");
        }
        try (Statement s = connections.connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT sorting_key, partition_key FROM system.tables WHERE database = '"
                     + database + "' AND name = 'readings'")) {
            assertTrue(rs.next(), "readings exists");
        }
    }

    @Test
    void refusesToStartWhenAnAppliedScriptWasEdited() throws Exception {
        migrator.migrate();
        try (Statement s = connections.connection().createStatement()) {
            s.execute("ALTER TABLE schema_versions DELETE WHERE version = 1");
            s.execute("INSERT INTO schema_versions (version, name, checksum, applied) VALUES (1, 'readings', 'deadbeef', now())");
        }
        Thread.sleep(500); // ALTER … DELETE is a mutation; let it finish
        IllegalStateException e = assertThrows(IllegalStateException.class, migrator::migrate);
        assertTrue(e.getMessage().contains("was changed after it was applied"), e.getMessage());
    }
}
