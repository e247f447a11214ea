package org.vigil.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * KeycloakUsers against a stand-in for the few Keycloak endpoints it uses, with a clock the test moves: which calls
 * it makes, what it caches and when it asks again. (The ITs of backend/app use it against the real Keycloak.)
 */
class KeycloakUsersTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpServer server;
    private final List<String> calls = Collections.synchronizedList(new ArrayList<>());
    /** username → id, and what was sent for each. */
    private final Map<String, String> users = new HashMap<>();
    private final Map<String, JsonNode> created = new HashMap<>();
    private final Map<String, String> passwords = new HashMap<>();
    private final List<String> roleMappings = new ArrayList<>();
    private int issued;
    private long accessLifespan = 300;
    private Instant now = Instant.parse("2026-11-21T10:00:00Z");
    private KeycloakUsers keycloak;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.start();
        KeycloakRealm realm = KeycloakRealm.local(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"));
        Clock clock = new Clock() {
            @Override
            public ZoneOffset getZone() {
                return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
                return this;
            }

            @Override
            public Instant instant() {
                return now;
            }
        };
        keycloak = new KeycloakUsers(KeycloakAdmin.with(realm, HttpClient.newHttpClient(), clock));
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private synchronized void handle(HttpExchange x) throws IOException {
        String method = x.getRequestMethod();
        String path = x.getRequestURI().getPath();
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        calls.add(method + " " + path);
        if (path.equals("/realms/master/protocol/openid-connect/token")) {
            Map<String, String> form = form(body);
            if (!form.equals(Map.of("grant_type", "password", "client_id", "admin-cli", "username", "admin", "password", "admin-dev"))) {
                answer(x, 401, "{\"error\":\"invalid_grant\"}");
                return;
            }
            answer(x, 200, "{\"access_token\":\"admin-" + (++issued) + "\",\"expires_in\":60}");
            return;
        }
        if (path.equals("/realms/vigil/protocol/openid-connect/token")) {
            Map<String, String> form = form(body);
            String user = form.get("username");
            if (!"vigil-cli".equals(form.get("client_id")) || !form.get("password").equals(passwords.get(user))) {
                answer(x, 401, "{\"error\":\"invalid_grant\",\"error_description\":\"Invalid user credentials\"}");
                return;
            }
            answer(x, 200, "{\"access_token\":\"" + user + "#" + (++issued) + "\",\"expires_in\":" + accessLifespan + "}");
            return;
        }
        if (!x.getRequestHeaders().getFirst("Authorization").startsWith("Bearer admin-")) {
            answer(x, 401, "");
            return;
        }
        String admin = path.substring("/admin/realms/vigil".length());
        if (method.equals("POST") && admin.equals("/users")) {
            JsonNode user = JSON.readTree(body);
            String name = user.path("username").asText();
            if (users.containsKey(name)) {
                answer(x, 409, "{\"errorMessage\":\"User exists with same username\"}");
                return;
            }
            String id = UUID.randomUUID().toString();
            users.put(name, id);
            created.put(name, user);
            passwords.put(name, user.path("credentials").get(0).path("value").asText());
            x.getResponseHeaders().add("Location", "http://keycloak/admin/realms/vigil/users/" + id);
            answer(x, 201, "");
        } else if (method.equals("GET") && admin.equals("/users")) {
            String name = URLDecoder.decode(x.getRequestURI().getRawQuery().replaceAll(".*username=([^&]*).*", "$1"), StandardCharsets.UTF_8);
            answer(x, 200, users.containsKey(name) ? "[{\"id\":\"" + users.get(name) + "\",\"username\":\"" + name + "\"}]" : "[]");
        } else if (method.equals("PUT") && admin.matches("/users/[^/]+/reset-password")) {
            String id = admin.split("/")[2];
            users.forEach((name, uid) -> {
                if (uid.equals(id)) {
                    passwords.put(name, JSON.valueToTree(parse(body)).path("value").asText());
                }
            });
            answer(x, 204, "");
        } else if (method.equals("GET") && admin.startsWith("/roles/")) {
            String role = admin.substring("/roles/".length());
            answer(x, 200, "{\"id\":\"role-" + role + "\",\"name\":\"" + role + "\"}");
        } else if (method.equals("POST") && admin.matches("/users/[^/]+/role-mappings/realm")) {
            roleMappings.add(admin.split("/")[2] + " " + JSON.readTree(body).get(0).path("name").asText());
            answer(x, 204, "");
        } else {
            answer(x, 404, "");
        }
    }

    private static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> form = new HashMap<>();
        for (String pair : body.split("&")) {
            String[] kv = pair.split("=", 2);
            form.put(kv[0], URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
        }
        return form;
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) {
            x.getResponseBody().write(bytes);
        }
        x.close();
    }

    private long count(String call) {
        return calls.stream().filter(call::equals).count();
    }

    @Test
    void makesTheUserOnceWithTenantRoleAndPasswordThenReusesItsToken() {
        String first = keycloak.token("acme-1", "care-manager");
        assertTrue(first.startsWith("care-manager@acme-1#"), first);
        JsonNode user = created.get("care-manager@acme-1");
        assertEquals("acme-1", user.path("attributes").path("tenant").get(0).asText());
        assertTrue(user.path("enabled").asBoolean());
        assertEquals(List.of(users.get("care-manager@acme-1") + " care-manager"), roleMappings);

        assertEquals(first, keycloak.token("acme-1", "care-manager"), "cached");
        now = now.plus(Duration.ofSeconds(239));
        assertEquals(first, keycloak.token("acme-1", "care-manager"), "61 s left: still handed out");
        now = now.plus(Duration.ofSeconds(2));
        String second = keycloak.token("acme-1", "care-manager");
        assertNotEquals(first, second, "59 s left: a new one");
        assertEquals(1, count("POST /admin/realms/vigil/users"), "the user is made once");
        assertEquals(2, count("POST /realms/vigil/protocol/openid-connect/token"));
    }

    @Test
    void everyTenantAndRoleIsAUserOfItsOwnAndAPlatformAdminHasNoTenant() {
        for (String role : KeycloakUsers.ROLES) {
            keycloak.token("t1", role);
            keycloak.token("t2", role);
        }
        String platform = keycloak.token(null, "platform-admin");
        assertTrue(platform.startsWith("platform-admin#"), platform);
        assertTrue(created.get("platform-admin").path("attributes").isMissingNode(), "no tenant attribute");
        assertEquals(9, created.size());
        assertEquals("tenant-admin@t2", KeycloakUsers.username("t2", "tenant-admin"));
        assertEquals(4, count("GET /admin/realms/vigil/roles/care-manager") + count("GET /admin/realms/vigil/roles/physician")
                + count("GET /admin/realms/vigil/roles/tenant-admin") + count("GET /admin/realms/vigil/roles/platform-admin"),
                "each role is looked up once");
    }

    @Test
    void aUserLeftByAnEarlierRunGetsThePasswordAgainAndIsReused() {
        users.put("physician@acme-1", "old-id");
        passwords.put("physician@acme-1", "changed-by-someone");
        String token = keycloak.token("acme-1", "physician");
        assertTrue(token.startsWith("physician@acme-1#"), token);
        assertEquals(List.of("old-id physician"), roleMappings);
        assertEquals("vigil-dev", passwords.get("physician@acme-1"));
    }

    @Test
    void theAdministratorsShortLivedTokenIsRenewedBeforeItRunsOut() {
        keycloak.token("acme-1", "care-manager");
        keycloak.token("acme-1", "tenant-admin");
        assertEquals(1, count("POST /realms/master/protocol/openid-connect/token"), "reused while fresh");
        now = now.plus(Duration.ofSeconds(31));
        keycloak.token("acme-1", "physician");
        assertEquals(2, count("POST /realms/master/protocol/openid-connect/token"), "under half of its 60 s left");
    }

    @Test
    void existingUsersByPasswordAndTheirTokensAreCachedToo() {
        users.put("carla.demo", "carla");
        passwords.put("carla.demo", "vigil-dev");
        String t = keycloak.passwordToken("carla.demo", "vigil-dev");
        assertEquals(t, keycloak.passwordToken("carla.demo", "vigil-dev"));
        assertEquals(1, count("POST /realms/vigil/protocol/openid-connect/token"));
        assertEquals(0, count("POST /realms/master/protocol/openid-connect/token"), "no administrator needed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> keycloak.passwordToken("nobody", "x"));
        assertTrue(e.getMessage().contains("Invalid user credentials"), e.getMessage());
    }

    @Test
    void aLongLivedTokenIsKeptUntilItsLastMinute() {
        accessLifespan = 3600;
        String t = keycloak.token("acme-1", "care-manager");
        now = now.plus(Duration.ofMinutes(58).plusSeconds(59));
        assertEquals(t, keycloak.token("acme-1", "care-manager"));
        now = now.plus(Duration.ofSeconds(2));
        assertNotEquals(t, keycloak.token("acme-1", "care-manager"));
    }

    @Test
    void refusesWhatTheRealmCannotHold() {
        assertThrows(IllegalArgumentException.class, () -> keycloak.token("Not A Tenant", "care-manager"));
        assertThrows(IllegalArgumentException.class, () -> keycloak.token("acme-1", "boss"));
        assertEquals(List.of(), calls);
    }

    @Test
    void saysHowToStartKeycloakWhenItIsNotThere() {
        server.stop(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> keycloak.token("acme-1", "care-manager"));
        assertTrue(e.getMessage().contains("ops/stack start --keycloak"), e.getMessage());
    }
}
