package org.vigil.ehr.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.JSONObjectUtils;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeyMaterialTest {
    /** Members of RSA and EC private keys (RFC 7518 §6.2.2, §6.3.2): none may ever be published. */
    private static final Set<String> PRIVATE_MEMBERS = Set.of("d", "p", "q", "dp", "dq", "qi", "oth");

    @Test
    void rs384KeysAreRsa3072AndEs384KeysAreP384WithThumbprintKids() throws Exception {
        JWK rsa = KeyMaterial.generate("RS384");
        assertEquals(3072, ((RSAKey) rsa).size());
        assertEquals(JWSAlgorithm.RS384, rsa.getAlgorithm());
        assertEquals(KeyUse.SIGNATURE, rsa.getKeyUse());
        assertEquals(rsa.computeThumbprint("SHA-256").toString(), rsa.getKeyID(), "kid = RFC 7638 thumbprint");

        JWK ec = KeyMaterial.generate("ES384");
        assertEquals(Curve.P_384, ((ECKey) ec).getCurve());
        assertEquals(JWSAlgorithm.ES384, ec.getAlgorithm());
        assertEquals(ec.computeThumbprint("SHA-256").toString(), ec.getKeyID());
    }

    @Test
    void otherAlgorithmsAreRefused() {
        for (String alg : new String[] {"RS256", "ES256", "HS256", "none", "", null}) {
            assertThrows(IllegalArgumentException.class, () -> KeyMaterial.generate(alg), String.valueOf(alg));
        }
    }

    @Test
    void thePublishedFormsHaveNoPrivatePartsAndTheStoredFormsRebuildTheSigningKey() throws Exception {
        for (String alg : List.of("RS384", "ES384")) {
            JWK key = KeyMaterial.generate(alg);
            String pub = KeyMaterial.publicJson(key);
            Map<String, Object> members = JSONObjectUtils.parse(pub);
            assertTrue(members.keySet().stream().noneMatch(PRIVATE_MEMBERS::contains), pub);
            assertEquals(Set.of(key.getKeyID(), alg, "sig"), Set.of(members.get("kid"), members.get("alg"), members.get("use")));

            JWK rebuilt = KeyMaterial.withPrivate(pub, KeyMaterial.privatePkcs8(key));
            assertTrue(rebuilt.isPrivate());
            assertEquals(key, rebuilt, alg + ": same key, private part included");

            String jwks = KeyMaterial.jwks(List.of(pub));
            JWKSet set = JWKSet.parse(jwks);
            assertEquals(1, set.getKeys().size());
            JWK published = set.getKeys().get(0);
            assertFalse(published.isPrivate());
            assertEquals(key.getKeyID(), published.getKeyID());
            assertEquals(alg, published.getAlgorithm().getName());
            assertEquals(KeyUse.SIGNATURE, published.getKeyUse());
            assertEquals(key.getKeyType(), published.getKeyType());
        }
    }

    @Test
    void aPrivateMemberSlippedIntoAStoredPublicJwkIsNotPublished() throws Exception {
        JWK key = KeyMaterial.generate("ES384");
        String jwks = KeyMaterial.jwks(List.of(key.toJSONString()));   // the private JWK, as if stored by mistake
        assertFalse(jwks.contains("\"d\""), jwks);
        assertFalse(JWKSet.parse(jwks).getKeys().get(0).isPrivate());
        assertEquals("{\"keys\":[]}", KeyMaterial.jwks(List.of()));
    }

    @Test
    void aPrivateKeyStoredAgainstAnotherPublicKeyIsRefused() {
        JWK a = KeyMaterial.generate("RS384");
        JWK b = KeyMaterial.generate("RS384");
        assertThrows(IllegalStateException.class,
                () -> KeyMaterial.withPrivate(KeyMaterial.publicJson(a), KeyMaterial.privatePkcs8(b)));
    }
}
