package org.vigil.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Test fixtures written the way an administrator's tooling would: as the schema owner, inside a transaction bound
 * to the tenant (the owner is subject to row-level security too, FORCE ROW LEVEL SECURITY).
 */
public final class Registry implements AutoCloseable {
    private final Connection connection;
    private final String tenant;

    private Registry(Connection connection, String tenant) {
        this.connection = connection;
        this.tenant = tenant;
    }

    /** A fresh tenant with a random slug, so test classes never see each other's data. */
    public static Registry newTenant(String prefix) throws SQLException {
        String tenant = prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        Connection c = DriverManager.getConnection(StackEnv.pgUrl(), StackEnv.ownerUser(), StackEnv.ownerPassword());
        Registry r = new Registry(c, tenant);
        r.exec("INSERT INTO tenants (tenant_id, name) VALUES (?, ?)", tenant, "Test tenant " + tenant);
        return r;
    }

    public String tenant() {
        return tenant;
    }

    public UUID patient(String name) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO patients (tenant_id, patient_id, display_name) VALUES (?, ?, ?)", tenant, id, name);
        exec("INSERT INTO patient_identifiers (tenant_id, patient_id, system, value) VALUES (?, ?, ?, ?)",
                tenant, id, "urn:oid:2.16.840.1.113883.19.5", "MRN-" + id.toString().substring(0, 8));
        return id;
    }

    public UUID device(String kind, String serial) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO devices (tenant_id, device_id, kind, model, serial) VALUES (?, ?, ?, ?, ?)",
                tenant, id, kind, "Test " + kind, serial);
        return id;
    }

    /** A device known only by its Bluetooth MAC (BLE devices behind a hub). */
    public UUID bleDevice(String kind, String mac) throws SQLException {
        UUID id = UUID.randomUUID();
        exec("INSERT INTO devices (tenant_id, device_id, kind, model, mac) VALUES (?, ?, ?, ?, ?)",
                tenant, id, kind, "Test BLE " + kind, mac);
        return id;
    }

    /** A webhook signing key for the tenant. */
    public void webhookKey(String keyId, byte[] secret) throws SQLException {
        exec("INSERT INTO webhook_keys (tenant_id, key_id, secret) VALUES (?, ?, ?)", tenant, keyId, secret);
    }

    /** A key the tenant's alert webhooks are signed with (kept apart from keys for webhooks it sends us). */
    public void outboundWebhookKey(String keyId, byte[] secret) throws SQLException {
        exec("INSERT INTO webhook_keys (tenant_id, key_id, secret, purpose) VALUES (?, ?, ?, 'outbound')", tenant, keyId, secret);
    }

    /** Assigns the device to the patient for [from, to); null bounds are open. */
    public void assign(UUID device, UUID patient, Instant from, Instant to) throws SQLException {
        exec("INSERT INTO device_assignments (tenant_id, assignment_id, device_id, patient_id, valid) "
                        + "VALUES (?, ?, ?, ?, tstzrange(?::timestamptz, ?::timestamptz))",
                tenant, UUID.randomUUID(), device, patient,
                from == null ? null : from.toString(), to == null ? null : to.toString());
    }

    /** What a query over the tenant's rows returns, one list of column values per row. */
    public List<List<Object>> rows(String sql, Object... args) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement bind = connection.prepareStatement("SELECT set_config('vigil.tenant', ?, true)");
             PreparedStatement ps = connection.prepareStatement(sql)) {
            bind.setString(1, tenant);
            bind.execute();
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            List<List<Object>> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    List<Object> row = new ArrayList<>();
                    for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                        row.add(rs.getObject(i));
                    }
                    out.add(row);
                }
            }
            connection.commit();
            return out;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    /** A {@code SELECT count(*) ...} over the tenant's rows. */
    public long count(String sql, Object... args) {
        try {
            return ((Number) rows(sql, args).get(0).get(0)).longValue();
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Any statement in this tenant's scope, as the schema owner (row-level security still binds it to the tenant). */
    public int exec(String sql, Object... args) throws SQLException {
        connection.setAutoCommit(false);
        try (PreparedStatement bind = connection.prepareStatement("SELECT set_config('vigil.tenant', ?, true)");
             PreparedStatement ps = connection.prepareStatement(sql)) {
            bind.setString(1, tenant);
            bind.execute();
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            int n = ps.executeUpdate();
            connection.commit();
            return n;
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
    }

    @Override
    public void close() throws SQLException {
        connection.close();
    }
}
