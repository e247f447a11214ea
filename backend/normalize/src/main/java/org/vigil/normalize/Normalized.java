package org.vigil.normalize;

import org.vigil.core.DeviceStatus;

import java.util.List;

/** What one payload yields once decoded and validated: readings to store, problems to dead-letter, device status. */
public record Normalized(List<NormalizedReading> readings, List<Problem> problems, List<DeviceStatus> statuses) {

    public Normalized {
        readings = List.copyOf(readings);
        problems = List.copyOf(problems);
        statuses = List.copyOf(statuses);
    }

    public static Normalized rejected(Problem problem) {
        return new Normalized(List.of(), List.of(problem), List.of());
    }

    /** Nothing usable came out of the payload. */
    public boolean isRejected() {
        return readings.isEmpty() && !problems.isEmpty();
    }
}
