package org.vigil.registry.internal;

import jakarta.inject.Singleton;
import org.vigil.core.DeviceStatus;
import org.vigil.core.DeviceStatusSink;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.List;

/**
 * Device status in the {@code devices} row, one statement per batch: every device with a stored reading gets its
 * last-seen time, hubs also battery, signal and firmware. An older report (a batch redelivered late) never
 * overwrites a newer one.
 */
@Singleton
public class PostgresDeviceStatus implements DeviceStatusSink {
    private static final String UPDATE = """
            UPDATE devices d SET
                last_seen       = GREATEST(d.last_seen, v.seen),
                battery_percent = CASE WHEN v.battery IS NOT NULL AND (d.status_at IS NULL OR v.seen >= d.status_at)
                                       THEN v.battery ELSE d.battery_percent END,
                signal_dbm      = CASE WHEN v.signal IS NOT NULL AND (d.status_at IS NULL OR v.seen >= d.status_at)
                                       THEN v.signal ELSE d.signal_dbm END,
                firmware        = CASE WHEN v.firmware IS NOT NULL AND (d.status_at IS NULL OR v.seen >= d.status_at)
                                       THEN v.firmware ELSE d.firmware END,
                status_at       = CASE WHEN (v.battery IS NOT NULL OR v.signal IS NOT NULL OR v.firmware IS NOT NULL)
                                            AND (d.status_at IS NULL OR v.seen >= d.status_at)
                                       THEN v.seen ELSE d.status_at END
            FROM unnest(?::text[], ?::real[], ?::integer[], ?::text[], ?::timestamptz[]) AS v(ident, battery, signal, firmware, seen)
            WHERE d.tenant_id = ? AND (d.serial = v.ident OR d.imei = v.ident OR d.mac = v.ident)""";

    private final TenantScope scope;

    public PostgresDeviceStatus(TenantScope scope) {
        this.scope = scope;
    }

    @Override
    public void record(TenantId tenant, List<DeviceStatus> statuses) {
        if (statuses.isEmpty()) {
            return;
        }
        int n = statuses.size();
        String[] ids = new String[n];
        Float[] battery = new Float[n];
        Integer[] signal = new Integer[n];
        String[] firmware = new String[n];
        Timestamp[] seen = new Timestamp[n];
        for (int i = 0; i < n; i++) {
            DeviceStatus s = statuses.get(i);
            ids[i] = PostgresDeviceDirectory.normalize(s.device());
            battery[i] = s.batteryPercent() == null ? null : s.batteryPercent().floatValue();
            signal[i] = s.signalDbm();
            firmware[i] = s.firmware();
            seen[i] = Timestamp.from(s.seenAt());
        }
        scope.writeInTenant(tenant, (Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setArray(1, c.createArrayOf("text", ids));
                ps.setArray(2, c.createArrayOf("float4", battery));
                ps.setArray(3, c.createArrayOf("int4", signal));
                ps.setArray(4, c.createArrayOf("text", firmware));
                Array times = c.createArrayOf("timestamptz", seen);
                ps.setArray(5, times);
                ps.setString(6, tenant.value());
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not record device status: " + e.getMessage(), e);
            }
        });
    }
}
