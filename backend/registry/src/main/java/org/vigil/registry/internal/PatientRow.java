package org.vigil.registry.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.LocalDate;
import java.util.UUID;

@MappedEntity("patients")
public record PatientRow(@Id UUID patientId, String tenantId, String displayName, @Nullable LocalDate birthDate) {
}
