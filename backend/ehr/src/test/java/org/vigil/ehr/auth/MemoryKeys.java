package org.vigil.ehr.auth;

import com.nimbusds.jose.jwk.JWK;
import org.vigil.core.TenantId;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signing keys in memory, stored the way {@link SigningKeys} stores them (public JWK JSON + sealed PKCS#8) and read
 * back through the same code, so tests of assertions and tokens exercise the real key handling without PostgreSQL.
 */
final class MemoryKeys implements SigningKeySource {
    private record Stored(String tenant, String alg, String kid, String publicJwk, byte[] sealed) {
    }

    private final KeySealer sealer;
    private final List<Stored> keys = new ArrayList<>();

    MemoryKeys(KeySealer sealer) {
        this.sealer = sealer;
    }

    @Override
    public synchronized JWK active(TenantId tenant, String alg) {
        KeyMaterial.check(alg);
        for (Stored s : keys) {
            if (s.tenant.equals(tenant.value()) && s.alg.equals(alg)) {
                return KeyMaterial.withPrivate(s.publicJwk, sealer.unseal(s.sealed, SigningKeys.sealContext(tenant, s.kid)));
            }
        }
        JWK fresh = KeyMaterial.generate(alg);
        byte[] sealed = sealer.seal(KeyMaterial.privatePkcs8(fresh), SigningKeys.sealContext(tenant, fresh.getKeyID()));
        keys.add(new Stored(tenant.value(), alg, fresh.getKeyID(), KeyMaterial.publicJson(fresh), sealed));
        return active(tenant, alg);
    }

    /** The tenant's JWKS as SigningKeys would publish it. */
    synchronized String jwks(TenantId tenant) {
        List<String> pub = new ArrayList<>();
        for (Stored s : keys) {
            if (s.tenant.equals(tenant.value())) {
                pub.add(s.publicJwk);
            }
        }
        return KeyMaterial.jwks(pub);
    }

    synchronized Map<String, String> kids() {
        Map<String, String> out = new LinkedHashMap<>();
        keys.forEach(s -> out.put(s.kid, s.tenant + "/" + s.alg));
        return out;
    }
}
