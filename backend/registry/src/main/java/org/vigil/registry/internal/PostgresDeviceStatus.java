package org.vigil.registry.internal;

import jakarta.inject.Singleton;
import org.vigil.core.DeviceStatus;
import org.vigil.core.DeviceStatusSink;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Device status in the {@code devices} row, one statement per batch: every device with a stored reading gets its
 * last-seen time (to the minute), hubs also battery, signal and firmware. An older report (a batch redelivered
 * late) never overwrites a newer one.
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
            FROM (SELECT m.device_id, v.battery, v.signal, v.firmware, v.seen
                  FROM unnest(?::text[], ?::real[], ?::integer[], ?::text[], ?::timestamptz[]) AS v(ident, battery, signal, firmware, seen)
                  JOIN LATERAL (SELECT device_id FROM devices WHERE tenant_id = ? AND serial = v.ident
                                UNION ALL SELECT device_id FROM devices WHERE tenant_id = ? AND imei = v.ident
                                UNION ALL SELECT device_id FROM devices WHERE tenant_id = ? AND mac = v.ident) m ON true) v
            WHERE d.tenant_id = ? AND d.device_id = v.device_id""";

    /** A device reading every few seconds needs its last-seen written about once a minute, not every batch. */
    private static final Duration LAST_SEEN_RESOLUTION = Duration.ofMinutes(1);

    private final TenantScope scope;
    private final Cache<String, Instant> lastSeenWritten = Caffeine.newBuilder()
            .maximumSize(500_000).expireAfterWrite(LAST_SEEN_RESOLUTION).build();

    public PostgresDeviceStatus(TenantScope scope) {
        this.scope = scope;
    }

    // Hub reports (battery, signal, firmware) are always written; a bare "seen" at most once a minute per device.
    private boolean worthWriting(TenantId tenant, DeviceStatus s) {
        if (s.batteryPercent() != null || s.signalDbm() != null || s.firmware() != null) {
            return true;
        }
        String key = tenant.value() + "|" + s.device();
        Instant written = lastSeenWritten.getIfPresent(key);
        if (written != null && s.seenAt().isBefore(written.plus(LAST_SEEN_RESOLUTION))) {
            return false;
        }
        lastSeenWritten.put(key, s.seenAt());
        return true;
    }

    @Override
    public void record(TenantId tenant, List<DeviceStatus> all) {
        List<DeviceStatus> statuses = all.stream().filter(s -> worthWriting(tenant, s)).toList();
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
            // The OR over three identifier columns would defeat their indexes; one indexed join per column instead.
            try (PreparedStatement ps = c.prepareStatement(UPDATE)) {
                ps.setArray(1, c.createArrayOf("text", ids));
                ps.setArray(2, c.createArrayOf("float4", battery));
                ps.setArray(3, c.createArrayOf("int4", signal));
                ps.setArray(4, c.createArrayOf("text", firmware));
                Array times = c.createArrayOf("timestamptz", seen);
                ps.setArray(5, times);
                for (int i = 6; i <= 9; i++) {
                    ps.setString(i, tenant.value());
                }
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException("could not record device status: " + e.getMessage(), e);
            }
        });
    }
}
