package org.vigil.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The HTTP both Keycloak clients need: password grants, JSON requests, and errors that say what to do. Unchecked
 * exceptions only: callers are tests and command lines, for which "Keycloak is not there" is a setup problem, not
 * something to handle.
 */
final class KeycloakHttp {
    /** Keycloak answers on loopback in milliseconds; its first requests after a start can take seconds. */
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final KeycloakRealm realm;
    private final HttpClient http;
    private final Clock clock;
    private final ObjectMapper json = new ObjectMapper();

    KeycloakHttp(KeycloakRealm realm, HttpClient http, Clock clock) {
        this.realm = realm;
        this.http = http;
        this.clock = clock;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    KeycloakRealm realm() {
        return realm;
    }

    Clock clock() {
        return clock;
    }

    /** The resource owner password grant of {@code client} in {@code realmName}. */
    AccessToken passwordGrant(String realmName, String client, String username, String password) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "password");
        form.put("client_id", client);
        form.put("username", username);
        form.put("password", password);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        URI url = realm.tokenUrl(realmName);
        Instant asked = clock.instant();
        HttpResponse<String> r = send(HttpRequest.newBuilder(url).timeout(TIMEOUT)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("Keycloak refused a token for '" + username + "' (client " + client + ", realm "
                    + realmName + "): " + r.statusCode() + " " + r.body());
        }
        JsonNode token = parse(r.body());
        return new AccessToken(token.path("access_token").asText(), asked,
                asked.plusSeconds(token.path("expires_in").asLong()));
    }

    /** A request to the admin REST API with {@code bearer}; the body, if any, is serialised to JSON. */
    HttpResponse<String> admin(String method, String path, Object body, String bearer) {
        HttpRequest.Builder b = HttpRequest.newBuilder(realm.adminUrl(path)).timeout(TIMEOUT)
                .header("Authorization", "Bearer " + bearer).header("Accept", "application/json");
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            try {
                b.header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json.writeValueAsString(body)));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("not serialisable as JSON: " + body, e);
            }
        }
        return send(b.build());
    }

    JsonNode parse(String body) {
        try {
            return json.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Keycloak answered with something that is not JSON: " + body, e);
        }
    }

    private HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak is not answering at " + realm.baseUrl() + " (" + e
                    + "). Start it with the stack: ops/stack start --keycloak [--name test], and set VIGIL_KEYCLOAK_URL"
                    + " with eval \"$(ops/stack env --name ...)\"", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for Keycloak", e);
        }
    }
}
