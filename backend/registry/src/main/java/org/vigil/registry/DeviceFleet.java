package org.vigil.registry;

import jakarta.inject.Singleton;
import org.vigil.core.TenantId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The tenant's device fleet with each device's status, for operators looking for silent or flat devices. */
@Singleton
public class DeviceFleet {
    private final TenantScope scope;

    public DeviceFleet(TenantScope scope) {
        this.scope = scope;
    }

    /** Devices silent longest first (never seen before all others): those are the ones to chase. */
    public List<DeviceView> list(TenantId tenant, int limit) {
        return scope.writeInTenant(tenant, (Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    SELECT device_id, kind, model, serial, imei, mac, last_seen, battery_percent, signal_dbm, firmware, status_at
                    FROM devices d WHERE tenant_id = ?
                      -- the alert canary's device belongs to the platform, not to the care team's fleet
                      AND NOT EXISTS (SELECT 1 FROM device_assignments a JOIN patients p USING (tenant_id, patient_id)
                                      WHERE a.tenant_id = d.tenant_id AND a.device_id = d.device_id AND p.synthetic)
                    ORDER BY last_seen ASC NULLS FIRST, device_id LIMIT ?""")) {
                ps.setString(1, tenant.value());
                ps.setInt(2, limit);
                List<DeviceView> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new DeviceView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getString(4), rs.getString(5), rs.getString(6), instant(rs.getTimestamp(7)),
                                rs.getObject(8) == null ? null : rs.getDouble(8),
                                rs.getObject(9) == null ? null : rs.getInt(9), rs.getString(10), instant(rs.getTimestamp(11))));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException("could not list devices: " + e.getMessage(), e);
            }
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
