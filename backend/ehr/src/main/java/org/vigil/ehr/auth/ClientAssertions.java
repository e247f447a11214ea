package org.vigil.ehr.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;

/**
 * SMART Backend Services client assertions (RFC 7523 {@code private_key_jwt}): a JWT signed with the tenant's
 * active key, header {@code {alg, kid, typ: JWT}}, claims {@code iss = sub = client_id}, {@code aud} = the token
 * URL, a fresh {@code jti} and {@code exp} four minutes out (SMART requires at most five; the minute left covers
 * clock skew between us and the EHR).
 */
@Singleton
public class ClientAssertions {
    static final Duration LIFETIME = Duration.ofMinutes(4);

    private final SigningKeySource keys;
    private final Clock clock;

    public ClientAssertions(SigningKeySource keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    /** A signed assertion for one token request; never reuse it (EHRs refuse a second use of a {@code jti}). */
    public String sign(TenantId tenant, String clientId, URI tokenUrl, String alg) {
        KeyMaterial.check(alg);
        if (clientId == null || clientId.isBlank()) {
            throw new IllegalArgumentException("clientId is required");
        }
        JWK key = keys.active(tenant, alg);
        Instant now = clock.instant();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.parse(alg)).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(clientId)
                .subject(clientId)
                .audience(tokenUrl.toString())   // one audience: serialised as a string, as SMART's examples show
                .jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("could not sign a client assertion with key " + key.getKeyID() + ": "
                    + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static JWSSigner signer(JWK key) throws JOSEException {
        if (key instanceof RSAKey) {
            return new RSASSASigner((RSAKey) key);
        }
        if (key instanceof ECKey) {
            return new ECDSASigner((ECKey) key);
        }
        throw new JOSEException("unsupported key type " + key.getKeyType());
    }
}
