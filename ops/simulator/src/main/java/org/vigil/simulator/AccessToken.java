package org.vigil.simulator;

import java.time.Duration;
import java.time.Instant;

/**
 * An access token and when it stops being worth handing out. Its life is taken from the token response's
 * {@code expires_in}, counted from when it was requested on our own clock, so a skewed clock between us and Keycloak
 * does not matter.
 */
record AccessToken(String value, Instant obtained, Instant expires) {
    /** A minute: what a caller may still need after taking it (a test's wait loop, a script's few requests). */
    static final Duration MARGIN = Duration.ofMinutes(1);

    /**
     * Fresh while more than the margin is left: a minute, or half its life for short-lived tokens (the master realm
     * gives its administrator 60 s ones), which would otherwise never be fresh.
     */
    boolean freshAt(Instant now) {
        Duration life = Duration.between(obtained, expires);
        Duration margin = life.dividedBy(2).compareTo(MARGIN) < 0 ? life.dividedBy(2) : MARGIN;
        return now.plus(margin).isBefore(expires);
    }
}
