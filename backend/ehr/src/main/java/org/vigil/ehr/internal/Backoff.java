package org.vigil.ehr.internal;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with "equal jitter": half the exponential delay is fixed, the other half random, so retries
 * of many items that failed together spread out instead of arriving as one wave.
 */
final class Backoff {
    private Backoff() {
    }

    static Duration after(int tries, Duration min, Duration max) {
        long base = min.toMillis();
        long cap = max.toMillis();
        long exp = tries >= 30 ? cap : Math.min(cap, base << Math.max(0, tries - 1));
        long half = exp / 2;
        return Duration.ofMillis(half + ThreadLocalRandom.current().nextLong(half + 1));
    }
}
