package org.vigil.sandbox.auth;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Opaque bearer tokens the sandbox issued, each with its grant until it expires. */
public final class AccessTokens {

    private final Map<String, Grant> grants = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;
    private final Duration lifetime;

    public AccessTokens(Clock clock, Duration lifetime) {
        this.clock = clock;
        this.lifetime = lifetime;
    }

    public Duration lifetime() {
        return lifetime;
    }

    public String issue(String clientId, Set<String> scopes) {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        if (grants.size() > 10_000) {
            grants.values().removeIf(grant -> grant.expired(clock.instant()));
        }
        grants.put(token, new Grant(clientId, scopes, clock.instant().plus(lifetime)));
        return token;
    }

    /** The grant of a live token, or null for an unknown or expired one. */
    public Grant find(String token) {
        Grant grant = token == null ? null : grants.get(token);
        if (grant != null && grant.expired(clock.instant())) {
            grants.remove(token);
            return null;
        }
        return grant;
    }
}
