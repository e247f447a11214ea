package org.vigil.ehr.internal;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.ehr.DeviceInfo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the EHR is told about a device, by the identifier it reported a reading under. Cached per tenant for a
 * minute: devices change rarely, and readings ask on every message.
 */
@Singleton
class DeviceInfos {
    private static final Duration KEEP = Duration.ofMinutes(1);

    private record Key(TenantId tenant, String reported) {
    }

    private record Entry(DeviceInfo info, Instant until) {
    }

    private final Map<Key, Entry> cache = new ConcurrentHashMap<>();

    /** The device, looked up in the caller's transaction (bound to the tenant); null for a device the registry lacks. */
    @Nullable
    DeviceInfo byReported(Connection c, TenantId tenant, String reported) throws SQLException {
        Key k = new Key(tenant, reported);
        Entry e = cache.get(k);
        Instant now = Instant.now();
        if (e != null && now.isBefore(e.until())) {
            return e.info();
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT device_id, kind, model, serial, imei, mac FROM devices "
                + "WHERE serial = ? OR imei = ? OR mac = ? LIMIT 1")) {
            ps.setString(1, reported);
            ps.setString(2, reported);
            ps.setString(3, reported);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                DeviceInfo info = new DeviceInfo(rs.getObject(1, java.util.UUID.class), rs.getString(2), rs.getString(3),
                        rs.getString(4), rs.getString(5), rs.getString(6), reported);
                cache.put(k, new Entry(info, now.plus(KEEP)));
                return info;
            }
        }
    }
}
