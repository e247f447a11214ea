package org.vigil.ehr.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link SigningKeys} against the stack's PostgreSQL ({@code VIGIL_PG_*}, as {@code ops/stack env} prints; the dev
 * stack by default), through the real transaction manager and row-level security: the schema is migrated by
 * Flyway as the application does, the keys are read and written as {@code vigil_app} in transactions bound to
 * the tenant by the real {@link TenantScope}. Each test uses tenants of its own.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SigningKeysIT {
    private SigningKeys keys;

    private static String env(String name, String fallback) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? fallback : v;
    }

    private static String pgUrl() {
        return "jdbc:postgresql://" + env("VIGIL_PG_HOST", "127.0.0.1") + ":" + env("VIGIL_PG_PORT", "15432") + "/"
                + env("VIGIL_PG_DB", "vigil");
    }

    @BeforeAll
    void start() {
        // Run by failsafe with the stack up; a unit-test run that selects this package (-Dtest=org.vigil.ehr.auth.**)
        // has no stack to talk to and skips it rather than failing. Any other connection problem fails.
        try (Connection c = owner()) {
            c.isValid(2);
        } catch (SQLException e) {
            Assumptions.assumeFalse(e.getSQLState() != null && e.getSQLState().startsWith("08"),
                    "no PostgreSQL at " + pgUrl() + " (start ops/stack and eval \"$(ops/stack env)\"): " + e.getMessage());
            throw new IllegalStateException(e);
        }
        // The schema as the application migrates it (Flyway as the owner; a no-op when it is current).
        Flyway.configure()
                .dataSource(pgUrl(), env("VIGIL_PG_OWNER_USER", "vigil_owner"), env("VIGIL_PG_OWNER_PASSWORD", "vigil_owner_dev"))
                .locations("classpath:db/postgres")
                .placeholders(Map.of("approle", env("VIGIL_PG_APP_USER", "vigil_app")))
                .load()
                .migrate();
        TenantScope scope = new TenantScope(new JdbcTransactions(pgUrl(), env("VIGIL_PG_APP_USER", "vigil_app"),
                env("VIGIL_PG_APP_PASSWORD", "vigil_app_dev")));
        keys = new SigningKeys(scope, new KeySealer(Keks.random()), Clock.systemUTC());
    }

    private Connection owner() throws SQLException {
        return DriverManager.getConnection(pgUrl(), env("VIGIL_PG_OWNER_USER", "vigil_owner"),
                env("VIGIL_PG_OWNER_PASSWORD", "vigil_owner_dev"));
    }

    /** A statement as the schema owner, bound to the tenant (the owner is subject to row-level security too). */
    private int asOwner(TenantId tenant, String sql, Object... args) throws SQLException {
        try (Connection c = owner()) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('vigil.tenant', ?, true)");
                 PreparedStatement ps = c.prepareStatement(sql)) {
                bind.setString(1, tenant.value());
                bind.execute();
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                int n = ps.executeUpdate();
                c.commit();
                return n;
            }
        }
    }

    private TenantId newTenant(String status) throws SQLException {
        TenantId t = new TenantId("keys-" + UUID.randomUUID().toString().substring(0, 8));
        asOwner(t, "INSERT INTO tenants (tenant_id, name, status) VALUES (?, ?, ?)", t.value(), "Keys test " + t, status);
        return t;
    }

    private static Set<String> kids(String jwks) throws Exception {
        return JWKSet.parse(jwks).getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }

    private static Map<String, String> statuses(List<KeyView> views) {
        Map<String, String> out = new HashMap<>();
        views.forEach(v -> out.put(v.kid(), v.status()));
        return out;
    }

    @Test
    void theFirstKeyIsCreatedOnDemandAndThenReused() throws Exception {
        TenantId t = newTenant("active");
        assertEquals("{\"keys\":[]}", keys.jwks(t));
        JWK first = keys.active(t, "ES384");
        assertTrue(first.isPrivate());
        assertEquals(first.getKeyID(), keys.active(t, "ES384").getKeyID());
        List<KeyView> list = keys.list(t);
        assertEquals(1, list.size());
        KeyView v = list.get(0);
        assertEquals(List.of(first.getKeyID(), "ES384", "active"), List.of(v.kid(), v.algorithm(), v.status()));
        assertNotNull(v.activatedAt());
        assertNull(v.retiredAt());
        assertEquals(Set.of(first.getKeyID()), kids(keys.jwks(t)));
        assertFalse(JWKSet.parse(keys.jwks(t)).getKeys().get(0).isPrivate());
    }

    @Test
    void theStoredPrivateKeyIsSealed() throws Exception {
        TenantId t = newTenant("active");
        JWK key = keys.active(t, "RS384");
        byte[] pkcs8 = KeyMaterial.privatePkcs8(key);
        try (Connection c = owner()) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('vigil.tenant', ?, true)");
                 PreparedStatement ps = c.prepareStatement("SELECT private_key, public_jwk FROM ehr_signing_keys WHERE tenant_id = ?")) {
                bind.setString(1, t.value());
                bind.execute();
                ps.setString(1, t.value());
                try (ResultSet rs = ps.executeQuery()) {
                    assertTrue(rs.next());
                    byte[] stored = rs.getBytes(1);
                    assertEquals(1, stored[0], "sealed, format 1");
                    assertEquals(1 + 4 + 12 + pkcs8.length + 16, stored.length);
                    assertFalse(rs.getString(2).contains("\"d\""), "no private member in public_jwk");
                }
            }
            c.commit();
        }
    }

    @Test
    void aTenantsJwksNeverContainsAnotherTenantsKeys() throws Exception {
        TenantId a = newTenant("active");
        TenantId b = newTenant("active");
        Set<String> aKids = Set.of(keys.active(a, "ES384").getKeyID(), keys.active(a, "RS384").getKeyID(),
                keys.stageNext(a, "ES384").kid());
        Set<String> bKids = Set.of(keys.active(b, "ES384").getKeyID(), keys.stageNext(b, "RS384").kid());
        assertEquals(aKids, kids(keys.jwks(a)));
        assertEquals(bKids, kids(keys.jwks(b)));
        assertEquals(aKids, statuses(keys.list(a)).keySet());
        assertEquals(bKids, statuses(keys.list(b)).keySet());
        assertNotEquals(keys.active(a, "ES384").getKeyID(), keys.active(b, "ES384").getKeyID());
    }

    @Test
    void rotationPublishesTheNextKeyFirstAndKeepsTheOldOneUntilRemoved() throws Exception {
        TenantId t = newTenant("active");
        String k1 = keys.active(t, "ES384").getKeyID();

        KeyView staged = keys.stageNext(t, "ES384");
        String k2 = staged.kid();
        assertEquals("next", staged.status());
        assertNull(staged.activatedAt());
        assertEquals(staged, keys.stageNext(t, "ES384"), "staging again returns the staged key");
        assertEquals(Set.of(k1, k2), kids(keys.jwks(t)), "next is published before it signs");
        assertEquals(k1, keys.active(t, "ES384").getKeyID(), "the active key still signs");

        KeyView promoted = keys.promote(t, "ES384");
        assertEquals(k2, promoted.kid());
        assertEquals("active", promoted.status());
        assertNotNull(promoted.activatedAt());
        assertEquals(k2, keys.active(t, "ES384").getKeyID());
        assertEquals(Map.of(k1, "retired", k2, "active"), statuses(keys.list(t)));
        assertEquals(Set.of(k1, k2), kids(keys.jwks(t)), "the retired key stays published");

        assertEquals(0, keys.removeRetired(t, Duration.ofHours(1)), "retired just now: kept");
        assertEquals(Set.of(k1, k2), kids(keys.jwks(t)));
        asOwner(t, "UPDATE ehr_signing_keys SET retired_at = retired_at - interval '2 hours' WHERE kid = ?", k1);
        assertEquals(1, keys.removeRetired(t, Duration.ofHours(1)));
        assertEquals(Set.of(k2), kids(keys.jwks(t)));
        assertEquals(Map.of(k2, "active"), statuses(keys.list(t)));
    }

    @Test
    void rotateIsStageAndPromoteAtOnceAndLeavesOtherAlgorithmsAlone() throws Exception {
        TenantId t = newTenant("active");
        String rsa = keys.active(t, "RS384").getKeyID();
        String k1 = keys.active(t, "ES384").getKeyID();
        KeyView k2 = keys.rotate(t, "ES384");
        assertEquals("active", k2.status());
        assertEquals(Map.of(rsa, "active", k1, "retired", k2.kid(), "active"), statuses(keys.list(t)));
        assertEquals(rsa, keys.active(t, "RS384").getKeyID());
    }

    @Test
    void promoteWithoutAStagedKeyIsRefusedAndChangesNothing() throws Exception {
        TenantId t = newTenant("active");
        String k1 = keys.active(t, "RS384").getKeyID();
        assertThrows(SigningKeys.NothingStaged.class, () -> keys.promote(t, "RS384"));
        assertThrows(SigningKeys.NothingStaged.class, () -> keys.promote(t, "ES384"));
        assertEquals(Map.of(k1, "active"), statuses(keys.list(t)));
        assertThrows(IllegalArgumentException.class, () -> keys.stageNext(t, "RS256"));
    }

    @Test
    void aStagedKeyCanBePromotedWhenThereWasNoActiveOne() {
        TenantId t = newTenantUnchecked();
        KeyView next = keys.stageNext(t, "ES384");
        assertEquals(next.kid(), keys.promote(t, "ES384").kid());
        assertEquals(next.kid(), keys.active(t, "ES384").getKeyID());
    }

    @Test
    void processesRacingForTheFirstKeyEndUpWithOne() throws Exception {
        TenantId t = newTenant("active");
        int racers = 6;
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> kids = new ArrayList<>();
            for (int i = 0; i < racers; i++) {
                kids.add(pool.submit(() -> {
                    start.await();
                    return keys.active(t, "ES384").getKeyID();
                }));
            }
            start.countDown();
            Set<String> seen = new HashSet<>();
            for (Future<String> f : kids) {
                seen.add(f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1, seen.size(), "every caller signs with the same key");
            assertEquals(seen, statuses(keys.list(t)).keySet(), "and only that key was stored");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void thePublishedJwksIsThereOnlyForActiveTenants() throws Exception {
        TenantId active = newTenant("active");
        assertEquals(Optional.of("{\"keys\":[]}"), keys.publishedJwks(active), "an existing tenant without keys");
        String kid = keys.active(active, "ES384").getKeyID();
        assertEquals(Set.of(kid), kids(keys.publishedJwks(active).orElseThrow()));

        TenantId suspended = newTenant("suspended");
        assertEquals(Optional.empty(), keys.publishedJwks(suspended));
        assertEquals(Optional.empty(), keys.publishedJwks(new TenantId("no-such-tenant-" + UUID.randomUUID().toString().substring(0, 8))));
    }

    private TenantId newTenantUnchecked() {
        try {
            return newTenant("active");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
