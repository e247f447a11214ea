package org.vigil.app;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.app.api.EhrKeysController.KeyEntry;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tenants' public JWKS and the key-rotation API: the JWKS URL is anonymous and per tenant, rotation keeps the
 * old key published, and only administrators change keys.
 */
@MicronautTest
class EhrKeysIT extends BackendTestSupport {
    @Inject
    @Client("/")
    HttpClient http;

    private Registry a;
    private Registry b;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        byte[] kek = new byte[32];
        new SecureRandom().nextBytes(kek);
        p.put("vigil.ehr.key-encryption-key", Base64.getEncoder().encodeToString(kek));
        return p;
    }

    @BeforeAll
    void tenants() throws Exception {
        a = Registry.newTenant("keys-a");
        b = Registry.newTenant("keys-b");
    }

    @AfterAll
    void close() throws Exception {
        a.close();
        b.close();
    }

    private String admin(String tenant) {
        return adminToken(tenant);
    }

    private KeyEntry post(String path, String tenant) {
        MutableHttpRequest<String> req = HttpRequest.POST(path, "").bearerAuth(admin(tenant));
        return http.toBlocking().retrieve(req, KeyEntry.class);
    }

    private HttpResponse<String> jwksResponse(String tenant) {
        return http.toBlocking().exchange(HttpRequest.GET("/api/v1/tenants/" + tenant + "/jwks.json"), String.class);
    }

    private Set<String> publishedKids(String tenant) throws Exception {
        String body = jwksResponse(tenant).body();
        JWKSet set = JWKSet.parse(body);
        assertTrue(set.getKeys().stream().noneMatch(JWK::isPrivate), body);
        return set.getKeys().stream().map(JWK::getKeyID).collect(Collectors.toSet());
    }

    private Map<String, String> listed(String tenant) {
        KeyEntry[] keys = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/ehr/keys").bearerAuth(admin(tenant)), KeyEntry[].class);
        Map<String, String> out = new HashMap<>();
        for (KeyEntry k : keys) {
            out.put(k.kid(), k.status());
        }
        return out;
    }

    private HttpStatus statusOf(Runnable call) {
        return assertThrows(HttpClientResponseException.class, call::run).getStatus();
    }

    @Test
    void theJwksIsAnonymousCacheableAndEmptyForATenantWithoutKeys() throws Exception {
        try (Registry fresh = Registry.newTenant("keys-none")) {
            HttpResponse<String> rsp = jwksResponse(fresh.tenant());
            assertEquals(HttpStatus.OK, rsp.getStatus());
            assertEquals("{\"keys\":[]}", rsp.body());
            assertEquals("public, max-age=300", rsp.header(HttpHeaders.CACHE_CONTROL));
            assertTrue(rsp.getContentType().orElseThrow().toString().startsWith("application/json"));
        }
    }

    @Test
    void unknownSuspendedAndMalformedTenantsAreNotFound() throws Exception {
        assertEquals(HttpStatus.NOT_FOUND, statusOf(() -> jwksResponse("no-such-tenant-at-all")));
        assertEquals(HttpStatus.NOT_FOUND, statusOf(() -> jwksResponse("Not_A_Slug")));
        try (Registry suspended = Registry.newTenant("keys-susp")) {
            post("/api/v1/ehr/keys/ES384/next", suspended.tenant());
            suspended.exec("UPDATE tenants SET status = 'suspended' WHERE tenant_id = ?", suspended.tenant());
            assertEquals(HttpStatus.NOT_FOUND, statusOf(() -> jwksResponse(suspended.tenant())));
        }
    }

    @Test
    void rotationPublishesTheNextKeyFirstAndKeepsTheRetiredOne() throws Exception {
        KeyEntry k1 = post("/api/v1/ehr/keys/ES384/next", a.tenant());
        assertEquals("next", k1.status());
        assertTrue(publishedKids(a.tenant()).contains(k1.kid()), "published while staged");
        KeyEntry active1 = post("/api/v1/ehr/keys/ES384/promote", a.tenant());
        assertEquals(k1.kid(), active1.kid());
        assertEquals("active", active1.status());
        assertNotNull(active1.activatedAt());

        KeyEntry k2 = post("/api/v1/ehr/keys/ES384/next", a.tenant());
        assertEquals(k2.kid(), post("/api/v1/ehr/keys/ES384/next", a.tenant()).kid(), "staging twice stages one key");
        assertEquals("active", listed(a.tenant()).get(k1.kid()), "staging does not change which key signs");
        post("/api/v1/ehr/keys/ES384/promote", a.tenant());
        Map<String, String> keys = listed(a.tenant());
        assertEquals("retired", keys.get(k1.kid()));
        assertEquals("active", keys.get(k2.kid()));
        assertTrue(publishedKids(a.tenant()).containsAll(Set.of(k1.kid(), k2.kid())), "the retired key stays published");
    }

    @Test
    void aTenantsJwksNeverContainsAnotherTenantsKeys() throws Exception {
        String ofA = post("/api/v1/ehr/keys/RS384/next", a.tenant()).kid();
        String ofB = post("/api/v1/ehr/keys/RS384/next", b.tenant()).kid();
        Set<String> publishedA = publishedKids(a.tenant());
        Set<String> publishedB = publishedKids(b.tenant());
        assertTrue(publishedA.contains(ofA) && publishedB.contains(ofB));
        assertFalse(publishedA.contains(ofB));
        assertFalse(publishedB.contains(ofA));
        assertFalse(listed(b.tenant()).containsKey(ofA), "nor does its key list");
        assertEquals(listed(a.tenant()).keySet(), publishedA);
    }

    @Test
    void onlyAdministratorsChangeKeysAndTheListNeedsAToken() throws Exception {
        try (Registry own = Registry.newTenant("keys-roles")) {
            rolesOn(own.tenant());
        }
    }

    private void rolesOn(String tenant) {
        String careManager = token(tenant);
        assertEquals(HttpStatus.FORBIDDEN, statusOf(() -> http.toBlocking().exchange(
                HttpRequest.POST("/api/v1/ehr/keys/ES384/next", "").bearerAuth(careManager))));
        assertEquals(HttpStatus.FORBIDDEN, statusOf(() -> http.toBlocking().exchange(
                HttpRequest.POST("/api/v1/ehr/keys/ES384/promote", "").bearerAuth(careManager))));
        assertEquals(HttpStatus.UNAUTHORIZED, statusOf(() -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/ehr/keys/ES384/next", ""))));
        assertEquals(HttpStatus.UNAUTHORIZED, statusOf(() -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/ehr/keys"))));
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(HttpRequest.GET("/api/v1/ehr/keys").bearerAuth(careManager)).getStatus());
        String platformAdmin = token(tenant, "platform-admin");
        assertEquals(HttpStatus.OK, http.toBlocking().exchange(
                HttpRequest.POST("/api/v1/ehr/keys/ES384/next", "").bearerAuth(platformAdmin)).getStatus());
    }

    @Test
    void badAlgorithmsAndPromotingNothingAreRefused() throws Exception {
        assertEquals(HttpStatus.BAD_REQUEST, statusOf(() -> post("/api/v1/ehr/keys/RS256/next", a.tenant())));
        assertEquals(HttpStatus.BAD_REQUEST, statusOf(() -> post("/api/v1/ehr/keys/none/promote", a.tenant())));
        try (Registry fresh = Registry.newTenant("keys-empty")) {
            assertEquals(HttpStatus.CONFLICT, statusOf(() -> post("/api/v1/ehr/keys/RS384/promote", fresh.tenant())));
        }
    }
}
