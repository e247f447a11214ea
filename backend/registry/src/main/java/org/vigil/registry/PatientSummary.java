package org.vigil.registry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A patient as the roster lists them.
 *
 * @param identifiers the values of every identifier systems issued for them (MRNs), ordered by system then value
 * @param enrolledAt  when the patient was registered with Vigil
 */
@Serdeable
public record PatientSummary(UUID patientId, String displayName, @Nullable LocalDate birthDate, List<String> identifiers,
                             Instant enrolledAt) {
    public PatientSummary {
        identifiers = identifiers == null ? List.of() : List.copyOf(identifiers);
    }
}
