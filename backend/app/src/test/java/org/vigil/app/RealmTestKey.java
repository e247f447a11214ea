package org.vigil.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.vigil.simulator.KeycloakAdmin;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * An RSA key of our own, imported into the realm for the length of a test: Keycloak publishes it in the realm's
 * JWKS (so the API trusts it) but never signs with it (lowest priority), and the test signs whatever claims it
 * likes with it. That is how a token with the right signature but the wrong issuer, audience or expiry is made:
 * Keycloak itself issues none. Removed again by {@link #close}.
 */
final class RealmTestKey implements AutoCloseable {
    private final KeycloakAdmin admin;
    private final String componentId;
    private final String kid;
    private final RSASSASigner signer;

    private RealmTestKey(KeycloakAdmin admin, String componentId, String kid, RSASSASigner signer) {
        this.admin = admin;
        this.componentId = componentId;
        this.kid = kid;
        this.signer = signer;
    }

    /**
     * Imports a fresh key. Do it before the backend first fetches the realm's JWKS, which it caches for a minute.
     */
    static RealmTestKey install(KeycloakAdmin admin) throws JOSEException {
        RSAKey key = new RSAKeyGenerator(2048).generate();
        String pem = "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPrivateKey().getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
        String realmId = admin.get("").path("id").asText();
        String id = admin.create("/components", Map.of(
                "name", "vigil-test-key-" + UUID.randomUUID().toString().substring(0, 8),
                "providerId", "rsa",
                "providerType", "org.keycloak.keys.KeyProvider",
                "parentId", realmId,
                "config", Map.of(
                        "priority", List.of("-100"),   // below the realm's own key: Keycloak keeps signing with that
                        "enabled", List.of("true"),
                        "active", List.of("true"),
                        "algorithm", List.of("RS256"),
                        "privateKey", List.of(pem))));
        String kid = null;
        for (JsonNode k : admin.get("/keys").path("keys")) {
            if (id.equals(k.path("providerId").asText())) {
                kid = k.path("kid").asText();
            }
        }
        if (kid == null) {
            admin.delete("/components/" + id);
            throw new IllegalStateException("Keycloak did not list the imported key " + id);
        }
        return new RealmTestKey(admin, id, kid, new RSASSASigner(key));
    }

    /** A token with exactly these claims, signed by a key in the realm's JWKS. */
    String sign(JWTClaimsSet claims) throws JOSEException {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(signer);
        return jwt.serialize();
    }

    @Override
    public void close() {
        admin.delete("/components/" + componentId);
    }
}
