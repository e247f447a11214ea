package org.vigil.ui.data;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Set;

import static java.time.ZoneOffset.UTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RpmPeriodTest {
    private static final Instant ENROLLED = Instant.parse("2026-09-01T15:00:00Z");

    private static Set<LocalDate> days(LocalDate from, int n) {
        Set<LocalDate> s = new HashSet<>();
        for (int i = 0; i < n; i++) {
            s.add(from.plusDays(i));
        }
        return s;
    }

    @Test
    void periodsRunInThirtyDayStepsFromEnrolment() {
        RpmPeriod p = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-05T08:00:00Z"), Set.of(), UTC);
        assertEquals(LocalDate.parse("2026-10-01"), p.start());
        assertEquals(LocalDate.parse("2026-10-31"), p.end());
        assertEquals(25, p.daysLeft());
    }

    @Test
    void onlyDaysInsideThePeriodCount() {
        Set<LocalDate> d = days(LocalDate.parse("2026-09-25"), 12);   // 6 before the period, 6 in it
        RpmPeriod p = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-10T08:00:00Z"), d, UTC);
        assertEquals(6, p.daysWithReadings());
        assertFalse(p.met());
    }

    @Test
    void daysAreTheClinicsCalendarDays() {
        ZoneId chicago = ZoneId.of("America/Chicago");
        // enrolled on 1 September at 10:30 in Chicago; 03:30 UTC the next day
        Instant enrolled = Instant.parse("2026-09-02T03:30:00Z");
        assertEquals(LocalDate.parse("2026-09-01"), RpmPeriod.current(enrolled, enrolled, Set.of(), chicago).start());
        assertEquals(LocalDate.parse("2026-09-02"), RpmPeriod.current(enrolled, enrolled, Set.of(), UTC).start());
        // 30 October, 23:00 in Chicago (04:00 UTC on the 31st) is still the second period's last day
        RpmPeriod p = RpmPeriod.current(enrolled, Instant.parse("2026-10-31T04:00:00Z"), Set.of(LocalDate.parse("2026-10-30")), chicago);
        assertEquals(LocalDate.parse("2026-10-01"), p.start());
        assertEquals(1, p.daysWithReadings());
        assertEquals(0, p.daysLeft());
    }

    @Test
    void metAtRiskAndMissed() {
        LocalDate start = LocalDate.parse("2026-10-01");
        assertTrue(RpmPeriod.current(ENROLLED, Instant.parse("2026-10-20T08:00:00Z"), days(start, 16), UTC).met());
        // day 20 of 30 with 5 days: 11 more needed in 11 remaining days (today included)
        RpmPeriod tight = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-20T08:00:00Z"), days(start, 5), UTC);
        assertTrue(tight.atRisk(), tight.toString());
        RpmPeriod lost = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-25T08:00:00Z"), days(start, 5), UTC);
        assertTrue(lost.missed(), lost.toString());
        RpmPeriod fine = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-05T08:00:00Z"), days(start, 4), UTC);
        assertFalse(fine.atRisk() || fine.missed(), fine.toString());
    }
}
