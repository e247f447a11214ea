package org.vigil.ui.format;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ValuesTest {
    @Test
    void valuesReadAsCliniciansWriteThem() {
        assertEquals("142 mmHg", Values.withUnit(142.0, "mm[Hg]"));
        assertEquals("37.8 °C", Values.withUnit(37.77, "Cel"));
        assertEquals("96 %", Values.withUnit(96.0, "%"));
        assertEquals("–", Values.withUnit(null, "kg"));
        assertEquals("Heart rate", Values.name("8867-4"));
        assertEquals("1234-5", Values.name("1234-5"));
    }

    @Test
    void agesAreShort() {
        Instant now = Instant.parse("2026-11-21T12:00:00Z");
        assertEquals("< 1 min", Ago.since(now.minusSeconds(20), now));
        assertEquals("12 min", Ago.since(now.minus(Duration.ofMinutes(12)), now));
        assertEquals("2 h 5 min", Ago.since(now.minus(Duration.ofMinutes(125)), now));
        assertEquals("9 h", Ago.since(now.minus(Duration.ofHours(9)), now));
        assertEquals("3 d", Ago.since(now.minus(Duration.ofDays(3)), now));
        assertEquals("just now", Ago.since(now.plusSeconds(5), now));
    }

    @Test
    void exactTimesNameTheirZone() {
        Instant t = Instant.parse("2026-11-21T12:00:00Z");
        assertEquals("21 Nov 2026 12:00 UTC", Ago.exact(t, ZoneId.of("UTC")));
        assertEquals("21 Nov 2026 06:00 CST", Ago.exact(t, ZoneId.of("America/Chicago")));
    }
}
