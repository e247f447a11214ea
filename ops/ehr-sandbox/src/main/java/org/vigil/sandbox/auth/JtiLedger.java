package org.vigil.sandbox.auth;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Assertion ids already used, each remembered until its assertion expires (after which it is refused anyway). */
final class JtiLedger {

    private final Map<String, Instant> used = new ConcurrentHashMap<>();
    private final Clock clock;

    JtiLedger(Clock clock) {
        this.clock = clock;
    }

    /** True the first time {@code jti} is offered by {@code clientId}; false for a replay. */
    boolean firstUse(String clientId, String jti, Instant expires) {
        Instant now = clock.instant();
        if (used.size() > 10_000) {
            used.values().removeIf(now::isAfter);
        }
        return used.putIfAbsent(clientId + " " + jti, expires) == null;
    }
}
