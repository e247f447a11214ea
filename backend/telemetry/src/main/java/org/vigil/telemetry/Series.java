package org.vigil.telemetry;

import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * One code's values over time in fixed buckets, for a chart.
 *
 * @param code   a LOINC code; for a panel, one of its components (systolic 8480-6 of blood pressure 85354-9)
 * @param unit   its UCUM unit (the edge converts every value of a code to one unit)
 * @param points one per bucket that has readings, oldest first; buckets without readings are left out
 */
@Serdeable
public record Series(String code, String unit, List<SeriesPoint> points) {
    public Series {
        points = points == null ? List.of() : List.copyOf(points);
    }
}
