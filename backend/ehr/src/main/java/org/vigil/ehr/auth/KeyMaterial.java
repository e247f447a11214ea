package org.vigil.ehr.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Key generation and the two stored forms of a signing key: the public JWK (JSON, published as is) and the private
 * key as PKCS#8 (sealed before it is stored). Pure: no storage, no configuration.
 */
final class KeyMaterial {
    static final String RS384 = "RS384";
    static final String ES384 = "ES384";
    static final Set<String> ALGORITHMS = Set.of(RS384, ES384);

    /**
     * RSA modulus size. 3072 bits (~128-bit security, NIST SP 800-57) rather than 2048 (~112-bit, acceptable only
     * until 2030): these keys may stay active for years when nobody rotates them, and the cost is small here — one
     * signature per access token (every few minutes per endpoint) and a one-off generation per rotation. EHRs that
     * accept RS384 take 3072-bit keys (SMART Backend Services sets no upper bound; 2048 is the usual minimum).
     */
    static final int RSA_BITS = 3072;

    private KeyMaterial() {
    }

    static void check(String alg) {
        if (alg == null || !ALGORITHMS.contains(alg)) {
            throw new IllegalArgumentException("unsupported signing algorithm '" + alg + "': use RS384 or ES384");
        }
    }

    /** A new key pair; its kid is its RFC 7638 thumbprint, so the kid names exactly this public key. */
    static JWK generate(String alg) {
        check(alg);
        try {
            if (RS384.equals(alg)) {
                return new RSAKeyGenerator(RSA_BITS).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS384)
                        .keyIDFromThumbprint(true).generate();
            }
            return new ECKeyGenerator(Curve.P_384).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384)
                    .keyIDFromThumbprint(true).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not generate a " + alg + " key: " + e.getMessage(), e);
        }
    }

    /** The public half as JSON: kty, the key's numbers, kid, alg and use=sig; nothing private. */
    static String publicJson(JWK key) {
        return key.toPublicJWK().toJSONString();
    }

    static byte[] privatePkcs8(JWK key) {
        try {
            PrivateKey p = key instanceof RSAKey ? ((RSAKey) key).toPrivateKey() : ((ECKey) key).toPrivateKey();
            if (p == null || !"PKCS#8".equals(p.getFormat())) {
                throw new IllegalStateException("key " + key.getKeyID() + " has no PKCS#8 private key");
            }
            return p.getEncoded();
        } catch (JOSEException e) {
            throw new IllegalStateException("could not encode the private key of " + key.getKeyID(), e);
        }
    }

    /** The signing key again, from its stored public JWK and its unsealed PKCS#8 private key. */
    static JWK withPrivate(String publicJwkJson, byte[] pkcs8) {
        try {
            JWK pub = JWK.parse(publicJwkJson);
            if (pub instanceof RSAKey) {
                PrivateKey p = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                RSAPrivateCrtKey crt = (RSAPrivateCrtKey) p;
                // A private key stored against the wrong public key would sign assertions no EHR can verify.
                if (!crt.getModulus().equals(((RSAKey) pub).getModulus().decodeToBigInteger())) {
                    throw new IllegalStateException("private key does not match public key " + pub.getKeyID());
                }
                return new RSAKey.Builder((RSAKey) pub).privateKey(crt).build();
            }
            if (pub instanceof ECKey) {
                PrivateKey p = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
                return new ECKey.Builder((ECKey) pub).privateKey((ECPrivateKey) p).build();
            }
            throw new IllegalStateException("unsupported key type " + pub.getKeyType() + " for " + pub.getKeyID());
        } catch (ParseException | GeneralSecurityException e) {
            throw new IllegalStateException("stored signing key cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * A JWK Set of public keys, in the given order. Each stored JWK is parsed and reduced to its public part again,
     * so a private member that somehow got into a stored public JWK is never published.
     */
    static String jwks(List<String> publicJwkJsons) {
        List<JWK> keys = new ArrayList<>(publicJwkJsons.size());
        for (String json : publicJwkJsons) {
            try {
                keys.add(JWK.parse(json).toPublicJWK());
            } catch (ParseException e) {
                throw new IllegalStateException("stored public JWK cannot be read: " + e.getMessage(), e);
            }
        }
        return new JWKSet(keys).toString(true);
    }
}
