package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;

/**
 * What is set for one patient: the programs they are enrolled in (in order of precedence), their own thresholds,
 * and a patient-wide snooze (e.g. while in hospital) during which their alerts are recorded but nobody is paged.
 */
public record PatientSettings(List<String> programs, List<Thresholds> overrides, @Nullable Instant snoozedUntil) {
    public static final PatientSettings NOT_ENROLLED = new PatientSettings(List.of(), List.of(), null);

    public PatientSettings {
        programs = List.copyOf(programs);
        overrides = List.copyOf(overrides);
    }

    public boolean snoozedAt(Instant t) {
        return snoozedUntil != null && t.isBefore(snoozedUntil);
    }
}
