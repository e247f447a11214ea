package org.vigil.simulator;

import com.fasterxml.jackson.databind.JsonNode;

import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Optional;

/**
 * Keycloak's admin REST API on one realm, as the bootstrap administrator of a local stack (realm master, client
 * {@code admin-cli}). Its token lives 60 s and is reused while fresh. Paths are below {@code /admin/realms/<realm>};
 * "" is the realm itself.
 */
public final class KeycloakAdmin {
    private final KeycloakHttp http;
    private AccessToken token;

    KeycloakAdmin(KeycloakHttp http) {
        this.http = http;
    }

    public static KeycloakAdmin of(KeycloakRealm realm) {
        return new KeycloakAdmin(new KeycloakHttp(realm, KeycloakHttp.newClient(), Clock.systemUTC()));
    }

    /** {@code 409 Conflict}: what was to be created exists already. */
    public static final class Conflict extends IllegalStateException {
        Conflict(String message) {
            super(message);
        }
    }

    public KeycloakRealm realm() {
        return http.realm();
    }

    public JsonNode get(String path) {
        return http.parse(ok("GET", path, null).body());
    }

    /** Creates a resource and answers its id (the last segment of the Location Keycloak answers with). */
    public String create(String path, Object body) {
        HttpResponse<String> r = call("POST", path, body);
        if (r.statusCode() == 409) {
            throw new Conflict("POST " + path + ": " + r.body());
        }
        check("POST", path, r);
        String location = r.headers().firstValue("Location")
                .orElseThrow(() -> new IllegalStateException("POST " + path + " answered without a Location"));
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public void post(String path, Object body) {
        ok("POST", path, body);
    }

    public void put(String path, Object body) {
        ok("PUT", path, body);
    }

    /** Deletes; a resource that is not there (any more) is fine. */
    public void delete(String path) {
        HttpResponse<String> r = call("DELETE", path, null);
        if (r.statusCode() != 404) {
            check("DELETE", path, r);
        }
    }

    /** The realm's user of that name (exact match), if any. */
    public Optional<String> userId(String username) {
        for (JsonNode u : get("/users?exact=true&username=" + URLEncoder.encode(username, StandardCharsets.UTF_8))) {
            if (username.equalsIgnoreCase(u.path("username").asText())) {
                return Optional.of(u.path("id").asText());
            }
        }
        return Optional.empty();
    }

    private HttpResponse<String> ok(String method, String path, Object body) {
        return check(method, path, call(method, path, body));
    }

    private HttpResponse<String> call(String method, String path, Object body) {
        return http.admin(method, path, body, bearer());
    }

    private static HttpResponse<String> check(String method, String path, HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException("Keycloak admin API: " + method + " " + path + " answered " + r.statusCode()
                    + " " + r.body());
        }
        return r;
    }

    private synchronized String bearer() {
        if (token == null || !token.freshAt(http.clock().instant())) {
            KeycloakRealm realm = http.realm();
            token = http.passwordGrant("master", "admin-cli", realm.adminUser(), realm.adminPassword());
        }
        return token.value();
    }

    /** For KeycloakUsers, which shares the HTTP client and clock. */
    KeycloakHttp http() {
        return http;
    }

    static KeycloakAdmin with(KeycloakRealm realm, HttpClient client, Clock clock) {
        return new KeycloakAdmin(new KeycloakHttp(realm, client, clock));
    }
}
