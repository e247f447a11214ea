package org.vigil.ehr;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * Statistics of one patient's readings over one period (a UTC day or week), per vital: what a periodic-summary
 * endpoint receives instead of, or besides, the readings.
 *
 * @param period "daily" or "weekly"
 * @param start  inclusive
 * @param end    exclusive
 */
@Serdeable
public record SummaryItem(String period, Instant start, Instant end, List<VitalStats> vitals) {

    public SummaryItem {
        vitals = List.copyOf(vitals);
    }

    /** One vital (a LOINC code; the blood-pressure panel has one statistic per component). */
    @Serdeable
    public record VitalStats(String code, List<Stat> components) {
        public VitalStats {
            components = List.copyOf(components);
        }
    }

    /** Count, minimum, maximum and mean of one measured code, in its UCUM unit. */
    @Serdeable
    public record Stat(String code, String unit, long count, double min, double max, double mean) {
    }

    /** The item key: one summary per patient, endpoint and period. */
    public String key(java.util.UUID patient) {
        return "summary:" + patient + ":" + period + ":" + start;
    }
}
