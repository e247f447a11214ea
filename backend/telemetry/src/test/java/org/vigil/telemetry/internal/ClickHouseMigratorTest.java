package org.vigil.telemetry.internal;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class ClickHouseMigratorTest {
    @Test
    void splitsStatementsAndDropsComments() {
        String sql = """
                -- a comment; with a semicolon
                CREATE TABLE a (x UInt8) ENGINE = Memory;
                CREATE TABLE b (
                    y String
                ) ENGINE = Memory
                """;
        assertEquals(List.of("CREATE TABLE a (x UInt8) ENGINE = Memory", "CREATE TABLE b (\n    y String\n) ENGINE = Memory"),
                ClickHouseMigrator.statements(sql));
    }

    @Test
    void findsTheScriptsOnTheClasspathInVersionOrder() throws Exception {
        List<ClickHouseMigrator.Script> scripts = ClickHouseMigrator.scripts();
        assertFalse(scripts.isEmpty());
        assertEquals(1, scripts.get(0).version());
        assertEquals("readings", scripts.get(0).name());
    }
}
