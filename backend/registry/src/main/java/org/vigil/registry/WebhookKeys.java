package org.vigil.registry;

import jakarta.inject.Singleton;
import org.vigil.core.TenantId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Optional;

/**
 * Webhook secrets and the nonces already used with them. Nonces live in PostgreSQL, not in memory, so a replay
 * is refused by every backend instance and across restarts.
 */
@Singleton
public class WebhookKeys {
    private final TenantScope scope;

    public WebhookKeys(TenantScope scope) {
        this.scope = scope;
    }

    /** The tenant's active secret with that key id, if there is one. */
    public Optional<byte[]> secret(TenantId tenant, String keyId) {
        return scope.writeInTenant(tenant, (Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT secret FROM webhook_keys WHERE tenant_id = ? AND key_id = ? AND revoked_at IS NULL")) {
                ps.setString(1, tenant.value());
                ps.setString(2, keyId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.<byte[]>empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException("could not read webhook keys: " + e.getMessage(), e);
            }
        });
    }

    /**
     * Records a nonce; false when it was already used. Nonces older than {@code forgetBefore} are deleted first:
     * requests that old are refused by their timestamp anyway.
     */
    public boolean firstUse(TenantId tenant, String nonce, Instant forgetBefore) {
        return scope.writeInTenant(tenant, (Connection c) -> {
            try (PreparedStatement purge = c.prepareStatement("DELETE FROM webhook_nonces WHERE tenant_id = ? AND seen_at < ?");
                 PreparedStatement insert = c.prepareStatement(
                         "INSERT INTO webhook_nonces (tenant_id, nonce) VALUES (?, ?) ON CONFLICT DO NOTHING")) {
                purge.setString(1, tenant.value());
                purge.setTimestamp(2, Timestamp.from(forgetBefore));
                purge.executeUpdate();
                insert.setString(1, tenant.value());
                insert.setString(2, nonce);
                return insert.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new IllegalStateException("could not record a webhook nonce: " + e.getMessage(), e);
            }
        });
    }
}
