package org.vigil.ui.auth;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.TenantId;

import java.io.Serializable;
import java.time.Instant;
import java.util.Set;

/**
 * Who is using this browser session, as the identity provider's verified ID token says. The tenant comes from
 * the token's {@code tenant} claim (set by administrators) and from nowhere else.
 *
 * @param username  what audit trails record (preferred_username, as the API records it)
 * @param tenant    null only for a platform administrator, who belongs to no tenant
 * @param idToken   kept to end the identity provider's session on sign-out (id_token_hint)
 */
public record SignedInUser(String subject, String username, String displayName, @Nullable String tenant, Set<String> roles,
                           String idToken, Instant signedInAt) implements Serializable {
    public static final String SESSION_ATTRIBUTE = "vigil.user";

    public SignedInUser {
        roles = Set.copyOf(roles);
    }

    public boolean has(String role) {
        return roles.contains(role);
    }

    public boolean hasAny(String... wanted) {
        for (String r : wanted) {
            if (roles.contains(r)) {
                return true;
            }
        }
        return false;
    }

    /** @throws IllegalStateException for a user without a tenant (views that show patients are not theirs) */
    public TenantId tenantId() {
        if (tenant == null) {
            throw new IllegalStateException(username + " belongs to no tenant");
        }
        return new TenantId(tenant);
    }
}
