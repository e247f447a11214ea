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
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The tenant's device fleet with each device's status, for operators looking for silent or flat devices. */
@Singleton
public class DeviceFleet {
    private static final String COLUMNS = "d.device_id, d.kind, d.model, d.serial, d.imei, d.mac, d.last_seen, d.battery_percent, "
            + "d.signal_dbm, d.firmware, d.status_at";
    /** When an assignment began; an open start counts from the device's registration, as the device watch counts. */
    private static final String SINCE = "coalesce(lower(a.valid), d.created_at)";

    private final TenantScope scope;

    public DeviceFleet(TenantScope scope) {
        this.scope = scope;
    }

    /** Devices silent longest first (never seen before all others): those are the ones to chase. */
    public List<DeviceView> list(TenantId tenant, int limit) {
        return scope.writeInTenant(tenant, (Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + """
                    , (SELECT %s FROM device_assignments a
                       WHERE a.tenant_id = d.tenant_id AND a.device_id = d.device_id AND a.valid @> now())
                    FROM devices d WHERE tenant_id = ?
                      -- the alert canary's device belongs to the platform, not to the care team's fleet
                      AND NOT EXISTS (SELECT 1 FROM device_assignments a JOIN patients p USING (tenant_id, patient_id)
                                      WHERE a.tenant_id = d.tenant_id AND a.device_id = d.device_id AND p.synthetic)
                    ORDER BY last_seen ASC NULLS FIRST, device_id LIMIT ?""".formatted(SINCE))) {
                ps.setString(1, tenant.value());
                ps.setInt(2, limit);
                List<DeviceView> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException("could not list devices: " + e.getMessage(), e);
            }
        });
    }

    /**
     * The devices assigned to each of these patients now, in one query (for a page of the roster): every patient
     * asked about is a key, with an empty list when nothing is assigned to them (or the tenant has no such patient).
     * Devices are ordered by kind, then id.
     */
    public Map<UUID, List<DeviceView>> forPatients(TenantId tenant, Collection<UUID> patients) {
        Map<UUID, List<DeviceView>> out = new LinkedHashMap<>();
        for (UUID p : new LinkedHashSet<>(patients)) {
            out.put(p, new ArrayList<>());
        }
        if (out.isEmpty()) {
            return Map.of();
        }
        scope.writeInTenant(tenant, (Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", " + SINCE + ", a.patient_id "
                    + "FROM device_assignments a JOIN devices d ON d.tenant_id = a.tenant_id AND d.device_id = a.device_id "
                    + "WHERE a.tenant_id = ? AND a.patient_id = ANY (?) AND a.valid @> now() ORDER BY a.patient_id, d.kind, d.device_id")) {
                ps.setString(1, tenant.value());
                ps.setArray(2, c.createArrayOf("uuid", out.keySet().toArray()));
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.get(rs.getObject(13, UUID.class)).add(view(rs));
                    }
                }
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the patients' devices: " + e.getMessage(), e);
            }
        });
        Map<UUID, List<DeviceView>> frozen = new LinkedHashMap<>();
        out.forEach((p, devices) -> frozen.put(p, List.copyOf(devices)));
        return Collections.unmodifiableMap(frozen);
    }

    private static DeviceView view(ResultSet rs) throws SQLException {
        return new DeviceView(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), instant(rs.getTimestamp(7)), rs.getObject(8) == null ? null : rs.getDouble(8),
                rs.getObject(9) == null ? null : rs.getInt(9), rs.getString(10), instant(rs.getTimestamp(11)),
                instant(rs.getTimestamp(12)));
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
