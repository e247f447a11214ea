package org.vigil.simulator;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DevTokensTest {

    @Test
    void mintedTokenVerifiesAgainstThePublicJwksFile(@TempDir Path dir) throws Exception {
        Instant now = Instant.parse("2026-11-21T08:00:00Z");
        DevTokens tokens = new DevTokens(DevTokens.newKey(), Clock.fixed(now, ZoneOffset.UTC));
        Path jwksFile = dir.resolve("jwks.json");
        tokens.writeJwks(jwksFile);

        String token = tokens.mint("demo", "care-manager", Duration.ofHours(12), List.of("care-manager", "admin"));

        JWKSet jwks = JWKSet.load(jwksFile.toFile());
        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey publicKey = (RSAKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertFalse(publicKey.isPrivate(), "the JWKS must hold the public key only");
        assertTrue(jwt.verify(new RSASSAVerifier(publicKey)));
        assertEquals(JWSAlgorithm.RS256, jwt.getHeader().getAlgorithm());
        assertEquals(JOSEObjectType.JWT, jwt.getHeader().getType());
        JWTClaimsSet claims = jwt.getJWTClaimsSet();
        assertEquals("care-manager", claims.getSubject());
        assertEquals("demo", claims.getStringClaim("tenant"));
        assertEquals(List.of("care-manager", "admin"), claims.getStringListClaim("roles"));
        assertEquals("vigil-dev", claims.getIssuer());
        assertEquals(List.of("vigil-api"), claims.getAudience());
        assertEquals(now, claims.getIssueTime().toInstant());
        assertEquals(now.plus(Duration.ofHours(12)), claims.getExpirationTime().toInstant());
        assertTrue(claims.getJWTID() != null);
        assertNotEquals(claims.getJWTID(), SignedJWT.parse(tokens.mint("demo", "x", Duration.ofMinutes(1), List.of())).getJWTClaimsSet().getJWTID());
    }

    @Test
    void aNullTenantLeavesTheClaimOut() throws Exception {
        DevTokens tokens = new DevTokens(DevTokens.newKey());
        JWTClaimsSet claims = SignedJWT.parse(tokens.mint(null, "someone", Duration.ofMinutes(5), List.of("care-manager")))
                .getJWTClaimsSet();
        assertFalse(claims.getClaims().containsKey("tenant"));
        assertEquals("someone", claims.getSubject());
    }

    @Test
    void anotherKeyDoesNotVerify() throws Exception {
        DevTokens ours = new DevTokens(DevTokens.newKey());
        RSAKey other = DevTokens.newKey();
        SignedJWT jwt = SignedJWT.parse(ours.mint("demo", "u", Duration.ofMinutes(5), List.of("care-manager")));
        assertFalse(jwt.verify(new RSASSAVerifier(other.toPublicJWK())));
    }

    @Test
    void generateCreatesOnceAndLoadReadsTheSameKey(@TempDir Path dir) throws Exception {
        Path keys = dir.resolve("dev/jwt");
        DevTokens first = DevTokens.generate(keys);
        assertTrue(Files.exists(keys.resolve("private.jwk")));
        assertTrue(Files.readString(keys.resolve("jwks.json")).contains("\"keys\""));
        assertFalse(Files.readString(keys.resolve("jwks.json")).contains("\"d\""), "no private exponent in the JWKS");
        DevTokens second = DevTokens.generate(keys);
        DevTokens loaded = DevTokens.load(keys);
        assertEquals(first.keyId(), second.keyId());
        assertEquals(first.keyId(), loaded.keyId());

        SignedJWT jwt = SignedJWT.parse(loaded.mint("demo", "u", Duration.ofMinutes(5), List.of()));
        RSAKey pub = (RSAKey) JWKSet.load(keys.resolve("jwks.json").toFile()).getKeys().get(0);
        assertTrue(jwt.verify(new RSASSAVerifier(pub)));
    }

    @Test
    void loadExplainsAMissingKey(@TempDir Path dir) {
        assertThrows(java.io.IOException.class, () -> DevTokens.load(dir));
    }
}
