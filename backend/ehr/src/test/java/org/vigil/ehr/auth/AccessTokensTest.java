package org.vigil.ehr.auth;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrEndpoint;

import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

class AccessTokensTest {
    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId GLOBEX = new TenantId("globex");

    private final TestClock clock = new TestClock(Instant.parse("2025-03-01T10:00:00Z"));
    private final MemoryKeys keys = new MemoryKeys(Keks.sealer());
    private final TokenServer ehr;
    private final AccessTokens tokens = new AccessTokens(new ClientAssertions(keys, clock), clock);

    AccessTokensTest() throws Exception {
        ehr = new TokenServer(() -> keys.jwks(ACME));
    }

    @AfterEach
    void stop() {
        ehr.close();
    }

    private EhrEndpoint.Fhir fhir(URI tokenUrl, String clientId, String scope, String alg) {
        return new EhrEndpoint.Fhir(URI.create("https://ehr.example.org/fhir"), tokenUrl, clientId, scope, alg,
                "urn:oid:2.16.840.1.113883.19.5", 1);
    }

    private EhrEndpoint.Fhir fhir() {
        return fhir(ehr.url(), "vigil-acme", "system/Observation.c system/Patient.rs", "ES384");
    }

    @Test
    void sendsTheClientCredentialsFormWithAVerifiableAssertionAndCachesTheToken() {
        String first = tokens.bearer(ACME, "epic", fhir());
        String second = tokens.bearer(ACME, "epic", fhir());
        assertEquals("tok-1", first);
        assertEquals(first, second);
        assertEquals(1, ehr.requests());
        assertEquals(1, tokens.tokenRequests());
        assertEquals("client_credentials", ehr.lastForm.get("grant_type"));
        assertEquals("system/Observation.c system/Patient.rs", ehr.lastForm.get("scope"));
        assertEquals("vigil-acme", ehr.lastClaims.getSubject());
    }

    @Test
    void worksWithRs384Too() {
        assertEquals("tok-1", tokens.bearer(ACME, "epic", fhir(ehr.url(), "vigil-acme", "system/*.rs", "RS384")));
    }

    @Test
    void replacesTheTokenShortlyBeforeItExpires() {
        ehr.expiresIn = 300;                          // margin: max(30 s, 10%) = 30 s
        tokens.bearer(ACME, "epic", fhir());
        clock.advance(Duration.ofSeconds(269));
        assertEquals("tok-1", tokens.bearer(ACME, "epic", fhir()));
        clock.advance(Duration.ofSeconds(1));         // 270 s: 30 s before expiry
        assertEquals("tok-2", tokens.bearer(ACME, "epic", fhir()));
        assertEquals(2, ehr.requests());
    }

    @Test
    void longLivedTokensAreReplacedTenPercentEarly() {
        ehr.expiresIn = "3600";                       // as a string, as some servers send it
        tokens.bearer(ACME, "epic", fhir());
        clock.advance(Duration.ofSeconds(3239));
        assertEquals("tok-1", tokens.bearer(ACME, "epic", fhir()));
        clock.advance(Duration.ofSeconds(1));         // 3240 s = 3600 - 360
        assertEquals("tok-2", tokens.bearer(ACME, "epic", fhir()));
    }

    @Test
    void withoutExpiresInFiveMinutesAreAssumed() {
        ehr.expiresIn = null;
        tokens.bearer(ACME, "epic", fhir());
        clock.advance(Duration.ofSeconds(269));
        assertEquals("tok-1", tokens.bearer(ACME, "epic", fhir()));
        clock.advance(Duration.ofSeconds(1));
        assertEquals("tok-2", tokens.bearer(ACME, "epic", fhir()));
    }

    @Test
    void aTokenTooShortLivedToCacheIsUsedOnceAndNotKept() {
        ehr.expiresIn = 20;
        assertEquals("tok-1", tokens.bearer(ACME, "epic", fhir()));
        assertEquals("tok-2", tokens.bearer(ACME, "epic", fhir()));
    }

    @Test
    void invalidateForgetsTheTokenAfterA401() {
        tokens.bearer(ACME, "epic", fhir());
        tokens.invalidate(ACME, "epic");
        assertEquals("tok-2", tokens.bearer(ACME, "epic", fhir()));
        assertEquals("tok-2", tokens.bearer(ACME, "epic", fhir()));
        assertEquals(2, ehr.requests());
        tokens.invalidate(GLOBEX, "never-seen");       // nothing to forget: no error
    }

    @Test
    void tokensAreKeptPerTenantAndEndpointAndSettings() throws Exception {
        try (TokenServer other = new TokenServer(() -> keys.jwks(ACME))) {
            String base = tokens.bearer(ACME, "epic", fhir());
            assertNotEquals(base, tokens.bearer(ACME, "cerner", fhir()), "another endpoint");
            assertEquals(2, ehr.requests());
            assertEquals("tok-3", tokens.bearer(ACME, "epic", fhir(ehr.url(), "vigil-acme-2", "system/Observation.c system/Patient.rs", "ES384")),
                    "another client id");
            assertEquals("tok-4", tokens.bearer(ACME, "epic", fhir(ehr.url(), "vigil-acme-2", "system/*.rs", "ES384")), "another scope");
            assertEquals("tok-5", tokens.bearer(ACME, "epic", fhir(ehr.url(), "vigil-acme-2", "system/*.rs", "RS384")), "another algorithm");
            assertEquals("tok-1", tokens.bearer(ACME, "epic", fhir(other.url(), "vigil-acme-2", "system/*.rs", "RS384")), "another token URL");
            assertEquals(1, other.requests());
            assertEquals(5, ehr.requests());
        }
        try (TokenServer globexEhr = new TokenServer(() -> keys.jwks(GLOBEX))) {
            String g = tokens.bearer(GLOBEX, "epic", fhir(globexEhr.url(), "vigil-globex", "system/*.rs", "ES384"));
            assertEquals("tok-1", g, "another tenant's token, signed with its own key");
            assertEquals("vigil-globex", globexEhr.lastClaims.getIssuer());
        }
        assertEquals(7, tokens.tokenRequests());
    }

    @Test
    void concurrentCallersShareOneRequest() throws Exception {
        ehr.delayMillis = 300;
        tokens.bearer(ACME, "warm-up", fhir());     // key generation out of the way; not the endpoint under test
        int callers = 16;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return tokens.bearer(ACME, "epic", fhir());
                }));
            }
            start.countDown();
            Set<String> seen = new HashSet<>();
            for (Future<String> f : results) {
                seen.add(f.get(10, TimeUnit.SECONDS));
            }
            assertEquals(Set.of("tok-2"), seen);
            assertEquals(2, ehr.requests(), "one for the warm-up, one for the 16 callers");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void concurrentCallersShareAFailureInsteadOfEachWaitingOutTheirOwn() throws Exception {
        ehr.delayMillis = 300;
        ehr.scripted = new TokenServer.Scripted(503, "text/html", "<html>maintenance</html>");
        int callers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return tokens.bearer(ACME, "epic", fhir());
                }));
            }
            start.countDown();
            for (Future<String> f : results) {
                try {
                    f.get(10, TimeUnit.SECONDS);
                    fail("no token expected");
                } catch (java.util.concurrent.ExecutionException e) {
                    TokenUnavailable t = (TokenUnavailable) e.getCause();
                    assertTrue(t.endpointDown());
                    assertEquals(503, t.status());
                }
            }
            assertEquals(1, ehr.requests());
        } finally {
            pool.shutdownNow();
        }
        ehr.scripted = null;
        assertEquals("tok-1", tokens.bearer(ACME, "epic", fhir()), "a failure is not cached: the next call asks again");
    }

    @Test
    void invalidClientIsAConfigurationProblem() {
        // a client id the EHR does not know: its JWKS (another tenant's) cannot verify our assertion
        try (TokenServer strict = new TokenServer(() -> keys.jwks(GLOBEX))) {
            TokenUnavailable e = assertThrows(TokenUnavailable.class,
                    () -> tokens.bearer(ACME, "epic", fhir(strict.url(), "vigil-acme", "system/*.rs", "ES384")));
            assertEquals(400, e.status());
            assertEquals("invalid_client", e.error());
            assertTrue(e.errorDescription().startsWith("unknown kid"), e.errorDescription());
            assertFalse(e.endpointDown());
            assertTrue(e.getMessage().contains("HTTP 400 invalid_client"), e.getMessage());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        ehr.scripted = new TokenServer.Scripted(401, "application/json",
                "{\"error\":\"invalid_client\",\"error_description\":\"Invalid client or Invalid client credentials\"}");
        TokenUnavailable e = assertThrows(TokenUnavailable.class, () -> tokens.bearer(ACME, "epic", fhir()));
        assertEquals(401, e.status());
        assertEquals("invalid_client", e.error());
        assertEquals("Invalid client or Invalid client credentials", e.errorDescription());
        assertFalse(e.endpointDown());
        ehr.scripted = new TokenServer.Scripted(404, "text/plain", "Not Found");
        e = assertThrows(TokenUnavailable.class, () -> tokens.bearer(ACME, "epic", fhir()));
        assertFalse(e.endpointDown(), "a wrong token URL is configuration");
        assertNull(e.error());
        assertEquals("Not Found", e.errorDescription());
    }

    @Test
    void serverErrorsAndThrottlingMeanTheEndpointIsDown() {
        for (int status : new int[] {500, 502, 503, 504, 429, 408}) {
            ehr.scripted = new TokenServer.Scripted(status, "application/json", "{\"error\":\"temporarily_unavailable\"}");
            TokenUnavailable e = assertThrows(TokenUnavailable.class, () -> tokens.bearer(ACME, "epic", fhir()));
            assertEquals(status, e.status());
            assertTrue(e.endpointDown(), "HTTP " + status);
            assertEquals("temporarily_unavailable", e.error());
        }
    }

    @Test
    void aRefusedConnectionMeansTheEndpointIsDown() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        URI nowhere = URI.create("http://127.0.0.1:" + closed + "/token");
        TokenUnavailable e = assertThrows(TokenUnavailable.class,
                () -> tokens.bearer(ACME, "epic", fhir(nowhere, "vigil-acme", "system/*.rs", "ES384")));
        assertTrue(e.endpointDown());
        assertEquals(0, e.status());
        assertNull(e.error());
    }

    @Test
    void aSlowTokenEndpointTimesOutAndIsDown() {
        AccessTokens impatient = new AccessTokens(new ClientAssertions(keys, clock), clock, Duration.ofSeconds(1),
                Duration.ofMillis(300));
        ehr.delayMillis = 2_000;
        long t0 = System.nanoTime();
        TokenUnavailable e = assertThrows(TokenUnavailable.class, () -> impatient.bearer(ACME, "epic", fhir()));
        assertTrue(e.endpointDown());
        assertTrue(e.getMessage().contains("HttpTimeoutException"), e.getMessage());
        assertTrue(System.nanoTime() - t0 < 1_900_000_000L, "gave up before the server answered");
    }

    @Test
    void aSuccessWithoutAUsableTokenIsTheEhrMisbehaving() {
        ehr.scripted = new TokenServer.Scripted(200, "text/html", "<html>login</html>");
        assertTrue(assertThrows(TokenUnavailable.class, () -> tokens.bearer(ACME, "epic", fhir())).endpointDown());
        ehr.scripted = new TokenServer.Scripted(200, "application/json", "{\"token_type\":\"bearer\"}");
        assertTrue(assertThrows(TokenUnavailable.class, () -> tokens.bearer(ACME, "epic", fhir())).endpointDown());
        ehr.scripted = new TokenServer.Scripted(200, "application/json",
                "{\"access_token\":\"x\",\"token_type\":\"DPoP\",\"expires_in\":300}");
        assertFalse(assertThrows(TokenUnavailable.class, () -> tokens.bearer(ACME, "epic", fhir())).endpointDown(),
                "a DPoP-bound token needs a registration change");
    }

    @Test
    void withoutAKekItIsAConfigurationProblemAndNothingIsSent() {
        AccessTokens noKek = new AccessTokens(new ClientAssertions(new MemoryKeys(new KeySealer(null)), clock), clock);
        TokenUnavailable e = assertThrows(TokenUnavailable.class, () -> noKek.bearer(ACME, "epic", fhir()));
        assertFalse(e.endpointDown());
        assertEquals("client_assertion_unavailable", e.error());
        assertTrue(e.getMessage().contains("VIGIL_EHR_KEK"), e.getMessage());
        assertEquals(0, ehr.requests());
        assertEquals(0, noKek.tokenRequests());
    }
}
