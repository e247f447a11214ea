package org.vigil.alerting.notify;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * How often and how far apart a notification is attempted: the delay doubles after each failure from
 * {@code first}, is spread by up to {@code ±jitter} of itself so that the notifications held up by one outage do
 * not all return at the same instant, and never exceeds {@code max}.
 *
 * @param maxAttempts attempts in all, the first included
 */
public record RetryPolicy(int maxAttempts, Duration first, Duration max, double jitter) {
    private static final Duration LONGEST = Duration.ofDays(1);

    public RetryPolicy {
        List<String> problems = new ArrayList<>();
        if (maxAttempts < 1 || maxAttempts > 100) {
            problems.add("maxAttempts: " + maxAttempts + " must be between 1 and 100.");
        }
        if (first == null || first.isNegative() || first.isZero()) {
            problems.add("first: " + first + " must be longer than zero.");
        }
        if (max == null || max.compareTo(LONGEST) > 0 || first != null && max.compareTo(first) < 0) {
            problems.add("max: " + max + " must be at least first (" + first + ") and at most one day.");
        }
        if (!(jitter >= 0 && jitter < 1)) {
            problems.add("jitter: " + jitter + " must be at least 0 and less than 1.");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join(" ", problems));
        }
    }

    /**
     * The wait before attempt {@code attemptsSoFar + 1}, or empty when all attempts are spent.
     *
     * @param attemptsSoFar attempts made, all failed (at least 1)
     */
    public Optional<Duration> nextDelay(int attemptsSoFar, RandomGenerator random) {
        if (attemptsSoFar < 1) {
            throw new IllegalArgumentException("attemptsSoFar: " + attemptsSoFar + " must be at least 1 (a delay follows a failed attempt).");
        }
        if (attemptsSoFar >= maxAttempts) {
            return Optional.empty();
        }
        // In double nanoseconds: 2^99 × first overflows a long, and a day (8.64e13 ns) is still exact.
        double cap = max.toNanos();
        double base = Math.min(cap, first.toNanos() * Math.pow(2, attemptsSoFar - 1));
        double spread = jitter == 0 ? 1 : 1 + jitter * random.nextDouble(-1, 1);
        return Optional.of(Duration.ofNanos(Math.round(Math.min(cap, base * spread))));
    }
}
