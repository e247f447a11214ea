package org.vigil.app.api;

import io.micronaut.http.HttpStatus;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.security.authentication.Authentication;
import org.vigil.core.TenantId;

/**
 * The tenant of a request comes from the signed token's {@code tenant} claim and nowhere else: no path segment,
 * header or parameter can change it.
 */
final class CurrentTenant {
    private CurrentTenant() {
    }

    static TenantId of(Authentication auth) {
        Object claim = auth.getAttributes().get("tenant");
        if (!(claim instanceof String s) || !TenantId.isValid(s)) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN, "The access token has no valid 'tenant' claim.");
        }
        return new TenantId(s);
    }
}
