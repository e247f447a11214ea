package org.vigil.ehr.auth;

import com.nimbusds.jose.jwk.JWK;
import org.vigil.core.TenantId;

/**
 * Where client assertions get their signing key. {@link SigningKeys} in production; the seam lets the assertion
 * and token code be tested without PostgreSQL.
 */
public interface SigningKeySource {
    /** The tenant's active key for {@code alg} (RS384 or ES384), private part included, created on first use. */
    JWK active(TenantId tenant, String alg);
}
