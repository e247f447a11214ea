package org.vigil.registry.internal;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.util.Collection;
import java.util.List;
import java.util.UUID;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeviceRepository extends GenericRepository<DeviceRow, UUID> {

    /** Every assignment period of the devices the reported identifiers name (serial, IMEI or MAC). */
    @Query(value = """
            SELECT d.device_id, d.serial, d.imei, d.mac, a.patient_id, lower(a.valid) AS valid_from, upper(a.valid) AS valid_to
            FROM devices d
            LEFT JOIN device_assignments a ON a.tenant_id = d.tenant_id AND a.device_id = d.device_id
            WHERE d.tenant_id = :tenantId
              AND (d.serial IN (:identifiers) OR d.imei IN (:identifiers) OR d.mac IN (:identifiers))""",
            nativeQuery = true)
    List<AssignmentRow> assignments(String tenantId, Collection<String> identifiers);
}
