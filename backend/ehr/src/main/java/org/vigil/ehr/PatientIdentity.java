package org.vigil.ehr;

import io.micronaut.core.annotation.Nullable;

import java.time.LocalDate;
import java.util.UUID;

/**
 * A patient as an EHR knows them: the identifier the endpoint's system issued (its MRN), found in the registry's
 * patient identifiers, plus what an HL7 PID segment carries.
 */
public record PatientIdentity(UUID patientId, String system, String value, String displayName,
                              @Nullable LocalDate birthDate) {
}
