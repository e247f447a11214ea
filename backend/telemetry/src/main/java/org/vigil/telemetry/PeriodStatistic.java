package org.vigil.telemetry;

import java.util.UUID;

/**
 * Statistics of one measured code of one patient over a period, each reading counted once.
 *
 * @param panel the panel the code was measured in (85354-9 for a blood-pressure component), or the code itself
 */
public record PeriodStatistic(UUID patient, String panel, String code, String unit, long count, double min, double max,
                              double mean) {
}
