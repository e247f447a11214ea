package org.vigil.ehr.auth;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ClientAssertionsTest {
    private static final TenantId ACME = new TenantId("acme");
    private static final TenantId GLOBEX = new TenantId("globex");
    private static final URI TOKEN_URL = URI.create("https://ehr.example.org/oauth2/token");
    private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");

    private final MemoryKeys keys = new MemoryKeys(Keks.sealer());
    private final ClientAssertions assertions = new ClientAssertions(keys, new TestClock(NOW));

    @ParameterizedTest
    @ValueSource(strings = {"RS384", "ES384"})
    void verifiesAgainstTheTenantsPublishedJwksWithTheClaimsSmartRequires(String alg) throws Exception {
        String jwt = assertions.sign(ACME, "vigil-acme", TOKEN_URL, alg);
        SignedJWT parsed = SignedJWT.parse(jwt);
        assertEquals(alg, parsed.getHeader().getAlgorithm().getName());
        assertEquals(JOSEObjectType.JWT, parsed.getHeader().getType());
        assertEquals(keys.active(ACME, alg).getKeyID(), parsed.getHeader().getKeyID());

        JWTClaimsSet claims = new AssertionVerifier().verify(jwt, keys.jwks(ACME), "vigil-acme", TOKEN_URL.toString());
        assertEquals("vigil-acme", claims.getIssuer());
        assertEquals("vigil-acme", claims.getSubject());
        assertEquals(NOW, claims.getIssueTime().toInstant());
        assertEquals(NOW.plus(Duration.ofMinutes(4)), claims.getExpirationTime().toInstant(), "exp = iat + 4 min (< 5)");

        // aud is one string, not an array (some authorization servers compare it as a string)
        String payload = new String(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]), StandardCharsets.UTF_8);
        assertTrue(payload.contains("\"aud\":\"https:\\/\\/ehr.example.org\\/oauth2\\/token\"")
                || payload.contains("\"aud\":\"https://ehr.example.org/oauth2/token\""), payload);
    }

    @Test
    void everyAssertionHasItsOwnJti() throws Exception {
        String a = assertions.sign(ACME, "vigil-acme", TOKEN_URL, "ES384");
        String b = assertions.sign(ACME, "vigil-acme", TOKEN_URL, "ES384");
        assertNotEquals(SignedJWT.parse(a).getJWTClaimsSet().getJWTID(), SignedJWT.parse(b).getJWTClaimsSet().getJWTID());
        AssertionVerifier ehr = new AssertionVerifier();
        ehr.verify(a, keys.jwks(ACME), "vigil-acme", TOKEN_URL.toString());
        ehr.verify(b, keys.jwks(ACME), "vigil-acme", TOKEN_URL.toString());
        assertThrows(AssertionVerifier.Rejected.class, () -> ehr.verify(a, keys.jwks(ACME), "vigil-acme", TOKEN_URL.toString()),
                "a replayed assertion is refused");
    }

    @Test
    void anotherTenantsJwksDoesNotVerifyIt() {
        keys.active(GLOBEX, "ES384");
        String jwt = assertions.sign(ACME, "vigil-acme", TOKEN_URL, "ES384");
        AssertionVerifier.Rejected e = assertThrows(AssertionVerifier.Rejected.class,
                () -> new AssertionVerifier().verify(jwt, keys.jwks(GLOBEX), "vigil-acme", TOKEN_URL.toString()));
        assertTrue(e.getMessage().startsWith("unknown kid"), e.getMessage());
    }

    @Test
    void refusesUnsupportedAlgorithmsAndAMissingClientId() {
        assertThrows(IllegalArgumentException.class, () -> assertions.sign(ACME, "vigil-acme", TOKEN_URL, "RS256"));
        assertThrows(IllegalArgumentException.class, () -> assertions.sign(ACME, " ", TOKEN_URL, "ES384"));
    }

    @Test
    void withoutAKekNoAssertionIsMade() {
        ClientAssertions noKek = new ClientAssertions(new MemoryKeys(new KeySealer("")), new TestClock(NOW));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> noKek.sign(ACME, "vigil-acme", TOKEN_URL, "ES384"));
        assertTrue(e.getMessage().contains("VIGIL_EHR_KEK"), e.getMessage());
    }
}
