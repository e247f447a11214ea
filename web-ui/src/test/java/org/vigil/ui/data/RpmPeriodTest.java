package org.vigil.ui.data;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.HashSet;
import java.util.Set;

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
        RpmPeriod p = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-05T08:00:00Z"), Set.of());
        assertEquals(LocalDate.parse("2026-10-01"), p.start());
        assertEquals(LocalDate.parse("2026-10-31"), p.end());
        assertEquals(25, p.daysLeft());
    }

    @Test
    void onlyDaysInsideThePeriodCount() {
        Set<LocalDate> d = days(LocalDate.parse("2026-09-25"), 12);   // 6 before the period, 6 in it
        RpmPeriod p = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-10T08:00:00Z"), d);
        assertEquals(6, p.daysWithReadings());
        assertFalse(p.met());
    }

    @Test
    void metAtRiskAndMissed() {
        LocalDate start = LocalDate.parse("2026-10-01");
        assertTrue(RpmPeriod.current(ENROLLED, Instant.parse("2026-10-20T08:00:00Z"), days(start, 16)).met());
        // day 20 of 30 with 5 days: 11 more needed in 11 remaining days (today included)
        RpmPeriod tight = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-20T08:00:00Z"), days(start, 5));
        assertTrue(tight.atRisk(), tight.toString());
        RpmPeriod lost = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-25T08:00:00Z"), days(start, 5));
        assertTrue(lost.missed(), lost.toString());
        RpmPeriod fine = RpmPeriod.current(ENROLLED, Instant.parse("2026-10-05T08:00:00Z"), days(start, 4));
        assertFalse(fine.atRisk() || fine.missed(), fine.toString());
    }
}
