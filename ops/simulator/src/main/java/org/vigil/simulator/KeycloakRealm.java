package org.vigil.simulator;

import java.net.URI;
import java.util.Map;

/**
 * Where a local stack's Keycloak is and how tools sign in to it: the realm whose tokens the API accepts, the
 * dev-only password-grant client, the bootstrap administrator ops/stack starts Keycloak with, and the password
 * given to users made on demand. Everything here is a development default for loopback stacks, never for a real
 * realm.
 */
public record KeycloakRealm(URI baseUrl, String realm, String client, String adminUser, String adminPassword,
                            String userPassword) {
    public static final String DEFAULT_URL = "http://127.0.0.1:18180";
    public static final String REALM = "vigil";
    /** The realm's password-grant client (ops/keycloak/vigil-realm.json); it adds the audience vigil-api. */
    public static final String CLIENT = "vigil-cli";
    /** The realm's example users' password, also given to users made on demand. */
    public static final String DEV_PASSWORD = "vigil-dev";

    public KeycloakRealm {
        String s = baseUrl.toString();
        if (s.endsWith("/")) {
            baseUrl = URI.create(s.substring(0, s.length() - 1));
        }
    }

    /** The stack's Keycloak: {@code VIGIL_KEYCLOAK_URL} (printed by {@code ops/stack env}), else the dev stack's. */
    public static KeycloakRealm local(Map<String, String> env) {
        String url = env.get("VIGIL_KEYCLOAK_URL");
        return local(URI.create(url == null || url.isBlank() ? DEFAULT_URL : url.trim()));
    }

    /** The realm {@code vigil} at {@code baseUrl}, with the administrator ops/stack starts Keycloak with. */
    public static KeycloakRealm local(URI baseUrl) {
        return new KeycloakRealm(baseUrl, REALM, CLIENT, "admin", "admin-dev", DEV_PASSWORD);
    }

    /** The {@code iss} of the realm's tokens (Keycloak runs with a fixed --hostname, so it is always this). */
    public String issuer() {
        return baseUrl + "/realms/" + realm;
    }

    URI tokenUrl(String realmName) {
        return URI.create(baseUrl + "/realms/" + realmName + "/protocol/openid-connect/token");
    }

    /** {@code path} below the realm's admin resource; "" is the realm itself. */
    URI adminUrl(String path) {
        return URI.create(baseUrl + "/admin/realms/" + realm + path);
    }
}
