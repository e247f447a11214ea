package org.vigil.ehr.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What an EHR's authorization server checks of a SMART Backend Services client assertion, as Keycloak did in the
 * spike: the signature by the key the JWKS names with the header's kid, {@code typ: JWT}, iss = sub = client id,
 * aud = the token URL, exp at most five minutes after iat, and a jti never seen before.
 */
final class AssertionVerifier {
    private final Set<String> seenJtis = ConcurrentHashMap.newKeySet();

    /** The verified claims; throws {@link Rejected} with the OAuth error an EHR would answer. */
    JWTClaimsSet verify(String assertion, String jwks, String clientId, String tokenUrl) {
        try {
            SignedJWT jwt = SignedJWT.parse(assertion);
            if (!JOSEObjectType.JWT.equals(jwt.getHeader().getType())) {
                throw new Rejected("typ is not JWT");
            }
            JWK key = JWKSet.parse(jwks).getKeyByKeyId(jwt.getHeader().getKeyID());
            if (key == null) {
                throw new Rejected("unknown kid " + jwt.getHeader().getKeyID());
            }
            if (!jwt.getHeader().getAlgorithm().equals(key.getAlgorithm())) {
                throw new Rejected("alg " + jwt.getHeader().getAlgorithm() + " is not the key's " + key.getAlgorithm());
            }
            JWSVerifier verifier = key instanceof RSAKey ? new RSASSAVerifier((RSAKey) key) : new ECDSAVerifier((ECKey) key);
            if (!jwt.verify(verifier)) {
                throw new Rejected("bad signature");
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            if (!clientId.equals(c.getIssuer()) || !clientId.equals(c.getSubject())) {
                throw new Rejected("iss/sub is not the client id");
            }
            if (!List.of(tokenUrl).equals(c.getAudience())) {
                throw new Rejected("aud is not the token URL");
            }
            if (c.getExpirationTime() == null || c.getIssueTime() == null
                    || Duration.between(c.getIssueTime().toInstant(), c.getExpirationTime().toInstant()).compareTo(Duration.ofMinutes(5)) > 0) {
                throw new Rejected("exp is missing or more than 5 minutes out");
            }
            if (c.getJWTID() == null || !seenJtis.add(c.getJWTID())) {
                throw new Rejected("jti missing or reused");
            }
            return c;
        } catch (ParseException | JOSEException e) {
            throw new Rejected("unreadable assertion: " + e.getMessage());
        }
    }

    static final class Rejected extends RuntimeException {
        Rejected(String message) {
            super(message);
        }
    }
}
