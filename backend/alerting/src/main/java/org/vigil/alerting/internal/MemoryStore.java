package org.vigil.alerting.internal;

import org.vigil.alerting.Band;
import org.vigil.alerting.PatientMemory;
import org.vigil.alerting.Suppressor;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Patients' rule memory in PostgreSQL: suppression states and the windows/latest snapshot. */
final class MemoryStore {
    private MemoryStore() {
    }

    /** The stored memory of these patients (those with none get an empty one), on a connection bound to their tenant. */
    static Map<UUID, PatientMemory> load(Connection c, Set<UUID> patients) throws SQLException {
        UUID[] ids = patients.toArray(UUID[]::new);
        Map<UUID, MemoryCodec.Decoded> snapshots = new HashMap<>();
        Map<UUID, Instant> lastReading = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT patient_id, memory::text, last_reading_at FROM alert_patient_memory WHERE patient_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID p = rs.getObject(1, UUID.class);
                    snapshots.put(p, MemoryCodec.decode(rs.getString(2)));
                    Timestamp t = rs.getTimestamp(3);
                    if (t != null) {
                        lastReading.put(p, t.toInstant());
                    }
                }
            }
        }
        Map<UUID, Map<String, Suppressor.State>> states = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, alert_key, phase, worst, count, last_value, last_seen, "
                + "since, opened_at FROM alert_rule_state WHERE patient_id = ANY(?)")) {
            ps.setArray(1, c.createArrayOf("uuid", ids));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    double v = rs.getDouble(6);
                    Double lastValue = rs.wasNull() ? null : v;
                    states.computeIfAbsent(rs.getObject(1, UUID.class), x -> new HashMap<>()).put(rs.getString(2),
                            new Suppressor.State(Suppressor.Phase.valueOf(rs.getString(3)),
                                    rs.getString(4) == null ? null : Band.valueOf(rs.getString(4)), rs.getInt(5), lastValue,
                                    instant(rs, 7), instant(rs, 8), instant(rs, 9)));
                }
            }
        }
        Map<UUID, PatientMemory> out = new HashMap<>();
        for (UUID p : patients) {
            MemoryCodec.Decoded d = snapshots.get(p);
            out.put(p, new PatientMemory(d == null ? Map.of() : d.windows(), d == null ? Map.of() : d.latest(),
                    states.getOrDefault(p, Map.of()), d == null ? Map.of() : d.devices(), lastReading.get(p)));
        }
        return out;
    }

    static void writeStates(Connection c, String tenant, Map<UUID, PatientMemory> patients) throws SQLException {
        try (PreparedStatement del = c.prepareStatement("DELETE FROM alert_rule_state WHERE patient_id = ANY(?)")) {
            del.setArray(1, c.createArrayOf("uuid", patients.keySet().toArray(UUID[]::new)));
            del.executeUpdate();
        }
        try (PreparedStatement ins = c.prepareStatement("INSERT INTO alert_rule_state (tenant_id, patient_id, alert_key, phase, "
                + "worst, count, last_value, last_seen, since, opened_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int n = 0;
            for (Map.Entry<UUID, PatientMemory> p : patients.entrySet()) {
                for (Map.Entry<String, Suppressor.State> e : p.getValue().states().entrySet()) {
                    Suppressor.State s = e.getValue();
                    ins.setString(1, tenant);
                    ins.setObject(2, p.getKey());
                    ins.setString(3, e.getKey());
                    ins.setString(4, s.phase().name());
                    ins.setString(5, s.worst() == null ? null : s.worst().name());
                    ins.setInt(6, s.count());
                    if (s.lastValue() == null || !Double.isFinite(s.lastValue())) {
                        ins.setNull(7, Types.DOUBLE);
                    } else {
                        ins.setDouble(7, s.lastValue());
                    }
                    ins.setTimestamp(8, ts(s.lastSeen()));
                    ins.setTimestamp(9, ts(s.since()));
                    ins.setTimestamp(10, ts(s.openedAt()));
                    ins.addBatch();
                    n++;
                }
            }
            if (n > 0) {
                ins.executeBatch();
            }
        }
    }

    static void writeSnapshots(Connection c, String tenant, Map<UUID, PatientMemory> patients) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO alert_patient_memory (tenant_id, patient_id, memory, last_reading_at) "
                + "VALUES (?, ?, ?::jsonb, ?) ON CONFLICT (tenant_id, patient_id) DO UPDATE SET memory = excluded.memory, "
                + "last_reading_at = excluded.last_reading_at")) {
            for (Map.Entry<UUID, PatientMemory> p : patients.entrySet()) {
                ps.setString(1, tenant);
                ps.setObject(2, p.getKey());
                ps.setString(3, MemoryCodec.encode(p.getValue().windows(), p.getValue().latest(), p.getValue().devices()));
                ps.setTimestamp(4, ts(p.getValue().lastReadingAt()));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static Instant instant(ResultSet rs, int i) throws SQLException {
        Timestamp t = rs.getTimestamp(i);
        return t == null ? null : t.toInstant();
    }

    private static Timestamp ts(Instant i) {
        return i == null ? null : Timestamp.from(i);
    }
}
