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

    /** The tenant's active secret with that key id for webhooks it sends us, if there is one. */
    public Optional<byte[]> secret(TenantId tenant, String keyId) {
        return scope.writeInTenant(tenant, (Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT secret FROM webhook_keys WHERE tenant_id = ? AND key_id = ? "
                    + "AND revoked_at IS NULL AND purpose = 'inbound'")) {
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

    /** A signing key: its id (named in the signature header) and secret. */
    public record Key(String keyId, byte[] secret) {
    }

    /** The newest active key for webhooks we send the tenant (alerts); a new key takes over as soon as it is added. */
    public Optional<Key> outbound(TenantId tenant) {
        return scope.writeInTenant(tenant, (Connection c) -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT key_id, secret FROM webhook_keys WHERE tenant_id = ? "
                    + "AND revoked_at IS NULL AND purpose = 'outbound' ORDER BY created_at DESC LIMIT 1")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(new Key(rs.getString(1), rs.getBytes(2))) : Optional.<Key>empty();
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
