package org.vigil.ui.data;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Set;

/**
 * The patient's current 30-day monitoring period, counted from enrolment, and how many days in it had readings:
 * remote physiologic monitoring is billable for a period with readings on at least 16 days (CPT 99454). Days are
 * the clinic's calendar days: a reading at 8 pm in Chicago counts for that day, not for the next UTC one.
 *
 * @param daysLeft whole days after today still in the period
 */
public record RpmPeriod(LocalDate start, LocalDate end, int daysWithReadings, int daysLeft) {
    public static final int DAYS = 30;
    public static final int REQUIRED = 16;

    /** @param readingDays days of {@code zone} with readings (earlier and later ones are ignored) */
    public static RpmPeriod current(Instant enrolledAt, Instant now, Set<LocalDate> readingDays, ZoneId zone) {
        LocalDate enrolled = enrolledAt.atZone(zone).toLocalDate();
        LocalDate today = now.atZone(zone).toLocalDate();
        long periods = Math.max(0, Duration.between(enrolled.atStartOfDay(), today.atStartOfDay()).toDays() / DAYS);
        LocalDate start = enrolled.plusDays(periods * DAYS);
        LocalDate end = start.plusDays(DAYS);
        int days = (int) readingDays.stream().filter(d -> !d.isBefore(start) && d.isBefore(end)).count();
        int left = (int) Duration.between(today.atStartOfDay(), end.atStartOfDay()).toDays() - 1;
        return new RpmPeriod(start, end, days, Math.max(0, left));
    }

    public boolean met() {
        return daysWithReadings >= REQUIRED;
    }

    /** Even a reading every remaining day would not reach 16. */
    public boolean missed() {
        return !met() && daysWithReadings + daysLeft + 1 < REQUIRED;
    }

    /** Needs a reading nearly every remaining day. */
    public boolean atRisk() {
        return !met() && !missed() && REQUIRED - daysWithReadings > (daysLeft + 1) * 0.75;
    }
}
