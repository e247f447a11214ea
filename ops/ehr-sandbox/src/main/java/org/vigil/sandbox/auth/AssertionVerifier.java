package org.vigil.sandbox.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Checks a client assertion as SMART Backend Services (App Launch v2 §backend services, RFC 7523) asks of an EHR.
 * The signature and the claims are checked before the jti is recorded, so a forged assertion cannot use up a
 * client's jti.
 */
final class AssertionVerifier {

    static final Duration MAX_LIFETIME = Duration.ofMinutes(5);
    // processes on one machine share a clock; this only covers clients that round exp up to the next second
    private static final Duration SKEW = Duration.ofSeconds(5);

    private final ClientRegistry clients;
    private final JtiLedger jtis;
    private final Clock clock;

    AssertionVerifier(ClientRegistry clients, Clock clock) {
        this.clients = clients;
        this.jtis = new JtiLedger(clock);
        this.clock = clock;
    }

    /** A verified assertion: who signed it and with which key. */
    record Verified(RegisteredClient client, String kid) {
    }

    Verified verify(String assertion, String tokenUrl) throws OAuthException {
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(assertion);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw invalidClient("client_assertion is not a signed JWT: " + e.getMessage());
        }
        String alg = jwt.getHeader().getAlgorithm().getName();
        if (!alg.equals("RS384") && !alg.equals("ES384")) {
            throw invalidClient("alg " + alg + " is not accepted; sign with RS384 or ES384");
        }
        String kid = jwt.getHeader().getKeyID();
        if (kid == null || kid.isBlank()) {
            throw invalidClient("the assertion's header has no kid");
        }
        String clientId = claims.getIssuer();
        if (clientId == null || !clientId.equals(claims.getSubject())) {
            throw invalidClient("iss and sub must both be the client_id");
        }
        RegisteredClient client = clients.find(clientId);
        if (client == null) {
            throw invalidClient("unknown client " + clientId);
        }
        if (client.algorithm() != null && !client.algorithm().equals(alg)) {
            throw invalidClient("client " + clientId + " is registered to sign with " + client.algorithm() + ", not " + alg);
        }
        checkClaims(claims, tokenUrl);
        JWK key = client.keys().find(kid);
        if (key == null) {
            throw invalidClient("no key with kid " + kid + " in " + client.keys().source());
        }
        try {
            if (!jwt.verify(verifierFor(key, alg))) {
                throw invalidClient("the signature does not verify with key " + kid);
            }
        } catch (JOSEException e) {
            throw invalidClient("cannot verify with key " + kid + ": " + e.getMessage());
        }
        if (!jtis.firstUse(clientId, claims.getJWTID(), claims.getExpirationTime().toInstant())) {
            throw invalidClient("jti " + claims.getJWTID() + " was already used");
        }
        return new Verified(client, kid);
    }

    private void checkClaims(JWTClaimsSet claims, String tokenUrl) throws OAuthException {
        List<String> audience = claims.getAudience();
        if (audience == null || !audience.contains(tokenUrl)) {
            throw invalidClient("aud must be the token URL " + tokenUrl + ", not " + audience);
        }
        Instant now = clock.instant();
        if (claims.getExpirationTime() == null) {
            throw invalidClient("the assertion has no exp");
        }
        Instant exp = claims.getExpirationTime().toInstant();
        if (!exp.isAfter(now)) {
            throw invalidClient("the assertion expired at " + exp);
        }
        if (exp.isAfter(now.plus(MAX_LIFETIME).plus(SKEW))) {
            throw invalidClient("exp " + exp + " is more than 5 minutes ahead");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW))) {
            throw invalidClient("the assertion is not valid before " + claims.getNotBeforeTime().toInstant());
        }
        if (claims.getJWTID() == null || claims.getJWTID().isBlank()) {
            throw invalidClient("the assertion has no jti");
        }
    }

    private static JWSVerifier verifierFor(JWK key, String alg) throws OAuthException, JOSEException {
        if (key.getKeyUse() != null && !KeyUse.SIGNATURE.equals(key.getKeyUse())) {
            throw invalidClient("key " + key.getKeyID() + " is not a signing key (use " + key.getKeyUse() + ")");
        }
        if (key.getAlgorithm() != null && !key.getAlgorithm().getName().equals(alg)) {
            throw invalidClient("key " + key.getKeyID() + " is for " + key.getAlgorithm() + ", not " + alg);
        }
        if (key instanceof RSAKey && alg.equals("RS384")) {
            return new RSASSAVerifier((RSAKey) key);
        }
        if (key instanceof ECKey && alg.equals("ES384") && Curve.P_384.equals(((ECKey) key).getCurve())) {
            return new ECDSAVerifier((ECKey) key);
        }
        throw invalidClient("key " + key.getKeyID() + " (" + key.getKeyType() + ") cannot verify " + alg);
    }

    private static OAuthException invalidClient(String description) {
        return new OAuthException("invalid_client", description);
    }
}
