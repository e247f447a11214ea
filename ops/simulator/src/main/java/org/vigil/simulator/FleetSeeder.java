package org.vigil.simulator;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.function.Function;

/**
 * Writes a fleet into the PostgreSQL registry, idempotently: running it twice inserts nothing the second time.
 * Rows go in as arrays through {@code unnest} (one statement per table per chunk instead of one per row), in a
 * single transaction bound to the tenant, because every table forces row-level security on
 * {@code current_setting('vigil.tenant')}: without that setting not even the owner can insert.
 */
public final class FleetSeeder {
    private static final int CHUNK = 5_000;

    private static final String TENANT = "INSERT INTO tenants (tenant_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING";
    private static final String PATIENTS = """
            INSERT INTO patients (tenant_id, patient_id, display_name, birth_date)
            SELECT ?, t.id::uuid, t.name, t.birth::date FROM unnest(?::text[], ?::text[], ?::text[]) AS t(id, name, birth)
            ON CONFLICT DO NOTHING""";
    private static final String IDENTIFIERS = """
            INSERT INTO patient_identifiers (tenant_id, patient_id, system, value)
            SELECT ?, t.id::uuid, t.system, t.value FROM unnest(?::text[], ?::text[], ?::text[]) AS t(id, system, value)
            ON CONFLICT DO NOTHING""";
    private static final String DEVICES = """
            INSERT INTO devices (tenant_id, device_id, kind, model, serial, imei, mac)
            SELECT ?, t.id::uuid, t.kind, t.model, t.serial, t.imei, t.mac
            FROM unnest(?::text[], ?::text[], ?::text[], ?::text[], ?::text[], ?::text[]) AS t(id, kind, model, serial, imei, mac)
            ON CONFLICT DO NOTHING""";
    // Conflict target is the primary key only: an overlapping assignment of the same device to someone else is a
    // real inconsistency, and the exclusion constraint should say so loudly rather than be skipped.
    private static final String ASSIGNMENTS = """
            INSERT INTO device_assignments (tenant_id, assignment_id, device_id, patient_id, valid)
            SELECT ?, t.id::uuid, t.device::uuid, t.patient::uuid, tstzrange(?::timestamptz, NULL)
            FROM unnest(?::text[], ?::text[], ?::text[]) AS t(id, device, patient)
            ON CONFLICT (tenant_id, assignment_id) DO NOTHING""";

    private final ConnectionSource connections;

    public FleetSeeder(ConnectionSource connections) {
        this.connections = connections;
    }

    public SeedResult seed(Fleet fleet, String tenantName) throws SQLException {
        String tenant = fleet.tenant().value();
        try (Connection c = connections.open()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("SELECT set_config('vigil.tenant', ?, true)")) {
                    ps.setString(1, tenant);
                    ps.execute();
                }
                int tenants;
                try (PreparedStatement ps = c.prepareStatement(TENANT)) {
                    ps.setString(1, tenant);
                    ps.setString(2, tenantName);
                    tenants = ps.executeUpdate();
                }
                List<SimPatient> patients = fleet.patients();
                List<SimDevice> devices = fleet.devices();
                int p = insertChunks(c, PATIENTS, tenant, null, patients, List.of(
                        x -> x.patientId().toString(), SimPatient::displayName, x -> x.birthDate().toString()));
                int i = insertChunks(c, IDENTIFIERS, tenant, null, patients, List.of(
                        x -> x.patientId().toString(), x -> x.mrn().system(), x -> x.mrn().value()));
                int d = insertChunks(c, DEVICES, tenant, null, devices, List.of(
                        x -> x.deviceId().toString(), x -> x.kind().code(), SimDevice::model,
                        SimDevice::serial, SimDevice::imei, SimDevice::mac));
                int a = insertChunks(c, ASSIGNMENTS, tenant, Fleet.ASSIGNED_FROM.toString(), devices, List.of(
                        x -> x.assignmentId().toString(), x -> x.deviceId().toString(), x -> x.patientId().toString()));
                c.commit();
                return new SeedResult(tenants, p, i, d, a);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    /**
     * Binds the tenant, then {@code extra} if not null, then one text array per column, for each chunk of rows.
     */
    private static <T> int insertChunks(Connection c, String sql, String tenant, String extra, List<T> rows,
                                        List<Function<T, String>> columns) throws SQLException {
        int inserted = 0;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int from = 0; from < rows.size(); from += CHUNK) {
                List<T> chunk = rows.subList(from, Math.min(rows.size(), from + CHUNK));
                int p = 1;
                ps.setString(p++, tenant);
                if (extra != null) {
                    ps.setString(p++, extra);
                }
                for (Function<T, String> column : columns) {
                    String[] values = new String[chunk.size()];
                    for (int r = 0; r < values.length; r++) {
                        values[r] = column.apply(chunk.get(r));
                    }
                    Array array = c.createArrayOf("text", values);
                    ps.setArray(p++, array);
                }
                inserted += ps.executeUpdate();
            }
        }
        return inserted;
    }
}
