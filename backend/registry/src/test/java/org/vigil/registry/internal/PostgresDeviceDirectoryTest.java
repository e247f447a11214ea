package org.vigil.registry.internal;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PostgresDeviceDirectoryTest {
    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            aa:bb:cc:00:11:22    | AA:BB:CC:00:11:22
            AA-BB-CC-00-11-22    | AA:BB:CC:00:11:22
            aabb.cc00.1122       | AA:BB:CC:00:11:22
            AA_BB_CC_00_11_22    | AA:BB:CC:00:11:22
            ' AA:BB:CC:00:11:22 '| AA:BB:CC:00:11:22
            AABBCC001122         | AABBCC001122
            BPC-demo-000001      | BPC-demo-000001
            359204108184057      | 359204108184057
            aa:bb:cc:00:11       | aa:bb:cc:00:11
            aa:bb:cc:00:11:22:33 | aa:bb:cc:00:11:22:33
            """)
    void macsAreNormalisedAndEverythingElseIsLeftAlone(String reported, String stored) {
        assertEquals(stored, PostgresDeviceDirectory.normalize(reported));
    }

    @ParameterizedTest
    @CsvSource({"2026-01-01T00:00:00Z, true", "2026-01-31T23:59:59.999Z, true", "2026-02-01T00:00:00Z, false",
            "2025-12-31T23:59:59.999Z, false"})
    void assignmentPeriodsAreHalfOpen(Instant at, boolean covered) {
        AssignmentRow row = new AssignmentRow(UUID.randomUUID(), "S", null, null, UUID.randomUUID(),
                Instant.parse("2026-01-01T00:00:00Z"), Instant.parse("2026-02-01T00:00:00Z"));
        assertEquals(covered, row.covers(at));
    }

    @org.junit.jupiter.api.Test
    void aNeverAssignedDeviceCoversNothing() {
        AssignmentRow row = new AssignmentRow(UUID.randomUUID(), "S", "359204108184057", null, null, null, null);
        assertFalse(row.covers(Instant.now()));
        assertTrue(row.identifiers().containsAll(java.util.List.of("S", "359204108184057")));
    }
}
