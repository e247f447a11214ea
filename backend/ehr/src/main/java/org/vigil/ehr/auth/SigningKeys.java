package org.vigil.ehr.auth;

import com.nimbusds.jose.jwk.JWK;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The keys a tenant signs SMART Backend Services client assertions with, per algorithm (RS384, ES384), and the
 * tenant's public JWKS that EHRs verify them with (table {@code ehr_signing_keys}, row-level security by tenant).
 *
 * <p>Lifecycle of a key: {@code next} (published, not signing) → {@code active} (signing; at most one per tenant and
 * algorithm) → {@code retired} (still published) → removed. Rotating without downtime takes two steps with a wait
 * between them: {@link #stageNext} publishes the new key; once every EHR has had time to refetch our JWKS (its
 * cache time: we send max-age=300, EHRs may cache longer), {@link #promote} switches signing to it. The retired key
 * stays published until {@link #removeRetired}, because access tokens and assertions issued just before the switch
 * may still be checked against it.
 *
 * <p>Every change for one tenant and algorithm takes a transaction-scoped advisory lock first, so backend
 * processes racing to create the first key, or two administrators staging at once, end up with one key.
 * Key pairs are generated before that transaction: an RSA key takes up to a second, not to be spent holding a
 * lock and a connection.
 */
@Singleton
public class SigningKeys implements SigningKeySource {
    private final TenantScope scope;
    private final KeySealer sealer;
    private final Clock clock;

    public SigningKeys(TenantScope scope, KeySealer sealer, Clock clock) {
        this.scope = scope;
        this.sealer = sealer;
        this.clock = clock;
    }

    /** Promote found no staged key: stage one first. */
    public static final class NothingStaged extends IllegalStateException {
        NothingStaged(TenantId tenant, String alg) {
            super("tenant " + tenant + " has no staged (next) " + alg + " key to promote; stage one first");
        }
    }

    /** The supported algorithms: RS384 (RSA 3072) and ES384 (P-384), the two SMART Backend Services names. */
    public static boolean supports(String alg) {
        return alg != null && KeyMaterial.ALGORITHMS.contains(alg);
    }

    /** The active key with its private part, for signing; the tenant's first key for {@code alg} is created here. */
    @Override
    public JWK active(TenantId tenant, String alg) {
        KeyMaterial.check(alg);
        Optional<JWK> found = tx(tenant, c -> activeKey(c, tenant, alg));
        if (found.isPresent()) {
            return found.get();
        }
        JWK fresh = KeyMaterial.generate(alg);
        return tx(tenant, c -> {
            lock(c, tenant, alg);
            Optional<JWK> raced = activeKey(c, tenant, alg);
            if (raced.isPresent()) {
                return raced.get();   // another process created it meanwhile: ours is discarded, never published
            }
            Instant now = clock.instant();
            insert(c, tenant, fresh, "active", now, now);
            return fresh;
        });
    }

    /** Every key of the tenant, by algorithm then age, without private parts. */
    public List<KeyView> list(TenantId tenant) {
        return tx(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT kid, algorithm, status, created_at, activated_at, retired_at "
                    + "FROM ehr_signing_keys WHERE tenant_id = ? ORDER BY algorithm, created_at, kid")) {
                ps.setString(1, tenant.value());
                List<KeyView> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs));
                    }
                }
                return out;
            }
        });
    }

    /**
     * Stages the next key for {@code alg}: published in the JWKS from now on, signing nothing until promoted.
     * Idempotent: when a next key is already staged, that one is returned (a second would only be published for
     * nothing, and "which one does promote pick" must have one answer).
     */
    public KeyView stageNext(TenantId tenant, String alg) {
        KeyMaterial.check(alg);
        Optional<KeyView> staged = tx(tenant, c -> withStatus(c, tenant, alg, "next"));
        if (staged.isPresent()) {
            return staged.get();
        }
        JWK fresh = KeyMaterial.generate(alg);
        return tx(tenant, c -> {
            lock(c, tenant, alg);
            Optional<KeyView> raced = withStatus(c, tenant, alg, "next");
            if (raced.isPresent()) {
                return raced.get();
            }
            insert(c, tenant, fresh, "next", clock.instant(), null);
            return withStatus(c, tenant, alg, "next").orElseThrow();
        });
    }

    /**
     * Makes the staged key active and retires the active one (which stays published). Call it only once EHRs had
     * time to fetch the JWKS that contains the staged key.
     *
     * @return the new active key
     * @throws NothingStaged when no key is staged
     */
    public KeyView promote(TenantId tenant, String alg) {
        KeyMaterial.check(alg);
        return tx(tenant, c -> {
            lock(c, tenant, alg);
            KeyView next = withStatus(c, tenant, alg, "next").orElseThrow(() -> new NothingStaged(tenant, alg));
            Instant now = clock.instant();
            // Retire first: the unique index allows one active key per tenant and algorithm at every statement.
            try (PreparedStatement retire = c.prepareStatement("UPDATE ehr_signing_keys SET status = 'retired', retired_at = ? "
                    + "WHERE tenant_id = ? AND algorithm = ? AND status = 'active'");
                 PreparedStatement activate = c.prepareStatement("UPDATE ehr_signing_keys SET status = 'active', activated_at = ? "
                         + "WHERE tenant_id = ? AND kid = ? AND status = 'next'")) {
                retire.setObject(1, at(now));
                retire.setString(2, tenant.value());
                retire.setString(3, alg);
                retire.executeUpdate();
                activate.setObject(1, at(now));
                activate.setString(2, tenant.value());
                activate.setString(3, next.kid());
                if (activate.executeUpdate() != 1) {
                    throw new IllegalStateException("staged key " + next.kid() + " vanished while being promoted");
                }
            }
            return withStatus(c, tenant, alg, "active").orElseThrow();
        });
    }

    /**
     * Stage and promote at once. The new key signs immediately, before any EHR has seen it in our JWKS: an EHR
     * that cached the old JWKS answers the next token request with an unknown kid until its cache expires or it
     * refetches on the miss (many do, some don't). Use it when that gap is acceptable (no EHR connected yet, or a
     * compromised key that must stop signing now); otherwise {@link #stageNext}, wait, {@link #promote}.
     */
    public KeyView rotate(TenantId tenant, String alg) {
        stageNext(tenant, alg);
        return promote(tenant, alg);
    }

    /**
     * Deletes retired keys retired more than {@code olderThan} ago: long enough that nothing signed with them is
     * still being checked (an assertion lives 4 minutes; allow for EHRs' clock skew and JWKS caching too).
     *
     * @return how many keys were removed
     */
    public int removeRetired(TenantId tenant, Duration olderThan) {
        if (olderThan.isNegative()) {
            throw new IllegalArgumentException("olderThan must not be negative: " + olderThan);
        }
        Instant cutoff = clock.instant().minus(olderThan);
        return tx(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM ehr_signing_keys "
                    + "WHERE tenant_id = ? AND status = 'retired' AND retired_at < ?")) {
                ps.setString(1, tenant.value());
                ps.setObject(2, at(cutoff));
                return ps.executeUpdate();
            }
        });
    }

    /** The tenant's public JWKS: active, next and retired keys, public parts only; {@code {"keys":[]}} if none. */
    public String jwks(TenantId tenant) {
        return tx(tenant, c -> publicJwks(c, tenant));
    }

    /**
     * The JWKS as published at the tenant's public URL: empty when the tenant does not exist or is not active
     * (suspended), so an unknown tenant and a suspended one look alike to the outside.
     */
    public Optional<String> publishedJwks(TenantId tenant) {
        return tx(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT status FROM tenants WHERE tenant_id = ?")) {
                ps.setString(1, tenant.value());
                try (ResultSet rs = ps.executeQuery()) {
                    if (!rs.next() || !"active".equals(rs.getString(1))) {
                        return Optional.<String>empty();
                    }
                }
            }
            return Optional.of(publicJwks(c, tenant));
        });
    }

    private String publicJwks(Connection c, TenantId tenant) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT public_jwk FROM ehr_signing_keys WHERE tenant_id = ? "
                + "ORDER BY CASE status WHEN 'active' THEN 0 WHEN 'next' THEN 1 ELSE 2 END, algorithm, created_at, kid")) {
            ps.setString(1, tenant.value());
            List<String> keys = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    keys.add(rs.getString(1));
                }
            }
            return KeyMaterial.jwks(keys);
        }
    }

    private Optional<JWK> activeKey(Connection c, TenantId tenant, String alg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kid, public_jwk, private_key FROM ehr_signing_keys "
                + "WHERE tenant_id = ? AND algorithm = ? AND status = 'active'")) {
            ps.setString(1, tenant.value());
            ps.setString(2, alg);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return Optional.empty();
                }
                byte[] pkcs8 = sealer.unseal(rs.getBytes(3), sealContext(tenant, rs.getString(1)));
                return Optional.of(KeyMaterial.withPrivate(rs.getString(2), pkcs8));
            }
        }
    }

    private Optional<KeyView> withStatus(Connection c, TenantId tenant, String alg, String status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT kid, algorithm, status, created_at, activated_at, retired_at "
                + "FROM ehr_signing_keys WHERE tenant_id = ? AND algorithm = ? AND status = ? ORDER BY created_at DESC LIMIT 1")) {
            ps.setString(1, tenant.value());
            ps.setString(2, alg);
            ps.setString(3, status);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(view(rs)) : Optional.empty();
            }
        }
    }

    private void insert(Connection c, TenantId tenant, JWK key, String status, Instant created, Instant activated)
            throws SQLException {
        // Seal before anything is written: without a KEK this fails with the reason and nothing is stored.
        byte[] sealed = sealer.seal(KeyMaterial.privatePkcs8(key), sealContext(tenant, key.getKeyID()));
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ehr_signing_keys (tenant_id, kid, algorithm, public_jwk, "
                + "private_key, status, created_at, activated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, tenant.value());
            ps.setString(2, key.getKeyID());
            ps.setString(3, key.getAlgorithm().getName());
            ps.setString(4, KeyMaterial.publicJson(key));
            ps.setBytes(5, sealed);
            ps.setString(6, status);
            ps.setObject(7, at(created));
            if (activated == null) {
                ps.setNull(8, Types.TIMESTAMP_WITH_TIMEZONE);
            } else {
                ps.setObject(8, at(activated));
            }
            ps.executeUpdate();
        }
    }

    /** Binds a sealed private key to its tenant and kid: copied onto another row, it does not unseal. */
    static String sealContext(TenantId tenant, String kid) {
        return "ehr_signing_keys/" + tenant.value() + "/" + kid;
    }

    private static void lock(Connection c, TenantId tenant, String alg) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "vigil-ehr-signing-keys:" + tenant.value() + ":" + alg);
            ps.execute();
        }
    }

    private static KeyView view(ResultSet rs) throws SQLException {
        return new KeyView(rs.getString(1), rs.getString(2), rs.getString(3), instant(rs, 4), instant(rs, 5), instant(rs, 6));
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }

    private static OffsetDateTime at(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }

    private interface SqlWork<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T tx(TenantId tenant, SqlWork<T> work) {
        return scope.writeInTenant(tenant, (Connection c) -> {
            try {
                return work.run(c);
            } catch (SQLException e) {
                throw new IllegalStateException("signing keys of tenant " + tenant + ": " + e.getMessage(), e);
            }
        });
    }
}
