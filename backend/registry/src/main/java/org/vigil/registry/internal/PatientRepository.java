package org.vigil.registry.internal;

import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface PatientRepository extends GenericRepository<PatientRow, UUID> {
    boolean existsByTenantIdAndPatientId(String tenantId, UUID patientId);
}
