package org.vigil.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import org.vigil.core.TenantId;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Real access tokens of the local realm for any tenant and role, the way tests, benchmarks and ops scripts need
 * them: a user per (tenant, role) is made on demand through the admin REST API (the {@code tenant} attribute, the
 * realm role, a password), and its token comes from the password grant of the dev-only client {@code vigil-cli},
 * so it carries the claims the API checks (issuer, audience {@code vigil-api}, {@code tenant}, flat {@code roles},
 * {@code preferred_username}) and is signed by the realm's own key.
 *
 * <p>Users are named {@code <role>@<tenant>} ({@code <role>} without a tenant): readable in audit trails, and the
 * name alone says what the user is, so a user left by an earlier run is simply reused. Tokens are reused until a
 * minute of their life is left. Thread-safe.
 */
public final class KeycloakUsers {
    public static final List<String> ROLES = List.of("care-manager", "physician", "tenant-admin", "platform-admin");

    private final KeycloakAdmin admin;
    private final KeycloakHttp http;
    private final Map<String, AccessToken> tokens = new HashMap<>();
    /** Users this instance has made or brought to the expected password and role. */
    private final Set<String> ready = new HashSet<>();
    private final Map<String, JsonNode> roles = new HashMap<>();

    public KeycloakUsers(KeycloakAdmin admin) {
        this.admin = admin;
        this.http = admin.http();
    }

    /** The stack's Keycloak ({@code VIGIL_KEYCLOAK_URL}, else the dev stack's). */
    public static KeycloakUsers local(Map<String, String> env) {
        return new KeycloakUsers(KeycloakAdmin.of(KeycloakRealm.local(env)));
    }

    public static String username(String tenant, String role) {
        return tenant == null ? role : role + "@" + tenant;
    }

    /** The {@code iss} of the tokens handed out. */
    public String issuer() {
        return http.realm().issuer();
    }

    public KeycloakAdmin admin() {
        return admin;
    }

    /**
     * An access token of the user with {@code role} in {@code tenant}, made first if needed.
     *
     * @param tenant a tenant id, or null for a user without the {@code tenant} attribute (a platform administrator,
     *               or a test of what the API does with a token that names no tenant)
     * @param role   one of {@link #ROLES}
     */
    public synchronized String token(String tenant, String role) {
        if (tenant != null && !TenantId.isValid(tenant)) {
            throw new IllegalArgumentException("'" + tenant + "' is not a tenant id: 2-63 chars of a-z, 0-9 and '-'");
        }
        if (!ROLES.contains(role)) {
            throw new IllegalArgumentException("'" + role + "' is not a role of the realm: " + ROLES);
        }
        String username = username(tenant, role);
        if (!ready.contains(username)) {
            prepare(username, tenant, role);
            ready.add(username);
        }
        return passwordToken(username, http.realm().userPassword());
    }

    /** An access token of an existing user, e.g. one of the realm's example users (carla.demo, tina.demo …). */
    public synchronized String passwordToken(String username, String password) {
        AccessToken t = tokens.get(username);
        if (t == null || !t.freshAt(http.clock().instant())) {
            KeycloakRealm realm = http.realm();
            t = http.passwordGrant(realm.realm(), realm.client(), username, password);
            tokens.put(username, t);
        }
        return t.value();
    }

    private void prepare(String username, String tenant, String role) {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("username", username);
        user.put("enabled", true);
        if (tenant != null) {
            user.put("attributes", Map.of("tenant", List.of(tenant)));
        }
        user.put("credentials", List.of(password()));
        String id;
        try {
            id = admin.create("/users", user);
        } catch (KeycloakAdmin.Conflict e) {
            // Made by an earlier run or another process. Its name fixes its tenant; the password is set again in
            // case someone changed it, and the role mapping below is idempotent.
            id = admin.userId(username).orElseThrow(() -> new IllegalStateException(
                    "Keycloak says user '" + username + "' exists but does not find it: " + e.getMessage()));
            admin.put("/users/" + id + "/reset-password", password());
        }
        admin.post("/users/" + id + "/role-mappings/realm", List.of(role(role)));
    }

    private Map<String, Object> password() {
        return Map.of("type", "password", "value", http.realm().userPassword(), "temporary", false);
    }

    private JsonNode role(String name) {
        return roles.computeIfAbsent(name, n -> admin.get("/roles/" + n));
    }
}
