package org.vigil.core;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class ContentHashTest {
    private final TenantId acme = new TenantId("acme");
    private final Instant t = Instant.parse("2026-11-21T07:30:00.250Z");

    @Test
    void sameReadingSameHashWhateverTheComponentOrderOrTrailingZeros() {
        String a = ContentHash.of(acme, "SN-1", "85354-9", t,
                List.of(new Measurement("8480-6", 128.0, "mm[Hg]"), new Measurement("8462-4", 82, "mm[Hg]")));
        String b = ContentHash.of(acme, "SN-1", "85354-9", t,
                List.of(new Measurement("8462-4", 82.00, "mm[Hg]"), new Measurement("8480-6", 128, "mm[Hg]")));
        assertEquals(a, b);
        assertEquals(32, a.length());
    }

    @Test
    void tenantTimeAndValueAreIdentity() {
        List<Measurement> m = List.of(new Measurement("29463-7", 81.4, "kg"));
        String base = ContentHash.of(acme, "SN-1", "29463-7", t, m);
        assertNotEquals(base, ContentHash.of(new TenantId("other"), "SN-1", "29463-7", t, m));
        assertNotEquals(base, ContentHash.of(acme, "SN-1", "29463-7", t.plusMillis(1), m));
        assertNotEquals(base, ContentHash.of(acme, "SN-1", "29463-7", t, List.of(new Measurement("29463-7", 81.5, "kg"))));
    }

    @Test
    void subjectsCarryTenantAndSafeDeviceToken() {
        String s = Subjects.ingest(acme, Subjects.CANONICAL_FORMAT, "AA:BB:CC:00:11:22");
        assertEquals("vigil.acme.ingest.canonical.AA_BB_CC_00_11_22", s);
        assertEquals("acme", Subjects.tenantOf(s).orElseThrow());
        assertEquals("canonical", Subjects.formatOf(s).orElseThrow());
    }
}
