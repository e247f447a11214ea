package org.vigil.ehr;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SummaryPeriodTest {
    private static final Instant NOW = Instant.parse("2026-11-21T12:00:00Z");  // a Saturday

    @Test
    void aClosedDayOrWeekEndsOneDayOrWeekLater() {
        assertEquals(Instant.parse("2026-11-21T00:00:00Z"),
                Summaries.closedPeriodEnd(EhrEndpoint.Summaries.DAILY, Instant.parse("2026-11-20T00:00:00Z"), NOW));
        assertEquals(Instant.parse("2026-11-16T00:00:00Z"),
                Summaries.closedPeriodEnd(EhrEndpoint.Summaries.WEEKLY, Instant.parse("2026-11-09T00:00:00Z"), NOW));
    }

    @Test
    void aStartThatIsNoBoundaryIsRefusedAsSuch() {
        Summaries.NotAClosedPeriod hour = assertThrows(Summaries.NotAClosedPeriod.class,
                () -> Summaries.closedPeriodEnd(EhrEndpoint.Summaries.DAILY, Instant.parse("2026-11-20T05:00:00Z"), NOW));
        assertFalse(hour.notEnded());
        assertTrue(hour.getMessage().contains("00:00 UTC"), hour.getMessage());
        Summaries.NotAClosedPeriod tuesday = assertThrows(Summaries.NotAClosedPeriod.class,
                () -> Summaries.closedPeriodEnd(EhrEndpoint.Summaries.WEEKLY, Instant.parse("2026-11-10T00:00:00Z"), NOW));
        assertFalse(tuesday.notEnded());
    }

    @Test
    void aPeriodStillRunningIsRefusedUntilItEnds() {
        Instant today = Instant.parse("2026-11-21T00:00:00Z");
        assertTrue(assertThrows(Summaries.NotAClosedPeriod.class,
                () -> Summaries.closedPeriodEnd(EhrEndpoint.Summaries.DAILY, today, NOW)).notEnded());
        assertTrue(assertThrows(Summaries.NotAClosedPeriod.class,
                () -> Summaries.closedPeriodEnd(EhrEndpoint.Summaries.WEEKLY, Instant.parse("2026-11-16T00:00:00Z"), NOW)).notEnded());
        assertEquals(today.plus(Duration.ofDays(1)),
                Summaries.closedPeriodEnd(EhrEndpoint.Summaries.DAILY, today, today.plus(Duration.ofDays(1))));
    }

    @Test
    void theSchedulersPeriodsAreAlwaysClosedBoundaries() {
        for (EhrEndpoint.Summaries kind : new EhrEndpoint.Summaries[]{EhrEndpoint.Summaries.DAILY, EhrEndpoint.Summaries.WEEKLY}) {
            Instant start = Summaries.lastClosedStart(kind, NOW, Duration.ofHours(1));
            Summaries.closedPeriodEnd(kind, start, NOW);
        }
    }
}
