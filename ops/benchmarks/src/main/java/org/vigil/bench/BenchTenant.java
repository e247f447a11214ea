package org.vigil.bench;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.UUID;

/** A tenant with one patient and one device, written as the schema owner, for benchmarks that need readings stored. */
final class BenchTenant {
    private BenchTenant() {
    }

    /** Creates (or reuses) the tenant and assigns a device with this serial to a patient, open-ended. */
    static void withDevice(BenchEnv env, String tenant, String kind, String serial) throws SQLException {
        try (Connection c = DriverManager.getConnection(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword())) {
            c.setAutoCommit(false);
            UUID patient = UUID.randomUUID();
            UUID device = UUID.randomUUID();
            exec(c, "SELECT set_config('vigil.tenant', ?, true)", tenant);
            exec(c, "INSERT INTO tenants (tenant_id, name) VALUES (?, ?) ON CONFLICT DO NOTHING", tenant, "Benchmark " + tenant);
            exec(c, "INSERT INTO patients (tenant_id, patient_id, display_name) VALUES (?, ?, ?)", tenant, patient, "Bench patient");
            exec(c, "INSERT INTO devices (tenant_id, device_id, kind, model, serial) VALUES (?, ?, ?, ?, ?) "
                    + "ON CONFLICT (tenant_id, serial) DO NOTHING", tenant, device, kind, "Bench " + kind, serial);
            exec(c, "INSERT INTO device_assignments (tenant_id, assignment_id, device_id, patient_id, valid) "
                    + "SELECT ?, ?, device_id, ?, tstzrange(NULL, NULL) FROM devices d WHERE tenant_id = ? AND serial = ? "
                    + "AND NOT EXISTS (SELECT 1 FROM device_assignments a WHERE a.tenant_id = d.tenant_id AND a.device_id = d.device_id)",
                    tenant, UUID.randomUUID(), patient, tenant, serial);
            c.commit();
        }
    }

    private static void exec(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            ps.execute();
        }
    }
}
