package org.vigil.alerting.notify;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.Optional;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RetryPolicyTest {
    private static final SplittableRandom SEEDED = new SplittableRandom(42);

    /** Without jitter the delays are exact: doubling from first, held at max, none after the last attempt. */
    @ParameterizedTest(name = "after {0} failed attempts: {1}")
    @CsvSource({
            "1, PT10S",
            "2, PT20S",
            "3, PT40S",
            "4, PT1M20S",
            "5, PT2M40S",
            "6, PT5M",   // 5m20s, capped
            "7, PT5M",
            "99, ",      // maxAttempts 10: nothing left
            "10, ",
            "9, PT5M",
    })
    void growsByDoublingUpToTheCapThenStops(int attemptsSoFar, Duration expected) {
        RetryPolicy p = new RetryPolicy(10, Duration.ofSeconds(10), Duration.ofMinutes(5), 0);
        assertEquals(Optional.ofNullable(expected), p.nextDelay(attemptsSoFar, SEEDED));
    }

    @Test
    void aHundredAttemptsDoNotOverflow() {
        RetryPolicy p = new RetryPolicy(100, Duration.ofMillis(1), Duration.ofDays(1), 0);
        assertEquals(Optional.of(Duration.ofDays(1)), p.nextDelay(99, SEEDED));
    }

    /** Jitter spreads each delay within ±jitter of its base, and the cap holds even then. */
    @ParameterizedTest(name = "after {0} failed attempts: within [{1}, {2}]")
    @CsvSource({
            "1, PT8S,  PT12S",
            "2, PT16S, PT24S",
            "3, PT32S, PT48S",
            "6, PT4M,  PT5M",
    })
    void jitterStaysWithinItsFraction(int attemptsSoFar, Duration low, Duration high) {
        RetryPolicy p = new RetryPolicy(10, Duration.ofSeconds(10), Duration.ofMinutes(5), 0.2);
        SplittableRandom random = new SplittableRandom(7);
        Duration least = high;
        Duration most = low;
        for (int i = 0; i < 2000; i++) {
            Duration d = p.nextDelay(attemptsSoFar, random).orElseThrow();
            assertTrue(d.compareTo(low) >= 0 && d.compareTo(high) <= 0, d + " outside [" + low + ", " + high + "]");
            least = d.compareTo(least) < 0 ? d : least;
            most = d.compareTo(most) > 0 ? d : most;
        }
        // and it does spread: the draws cover most of the range rather than sitting at one value
        Duration range = high.minus(low);
        assertTrue(most.minus(least).compareTo(range.multipliedBy(8).dividedBy(10)) > 0, least + ".." + most);
    }

    @Test
    void theSameSeedGivesTheSameDelays() {
        RetryPolicy p = new RetryPolicy(5, Duration.ofSeconds(1), Duration.ofMinutes(1), 0.5);
        assertEquals(p.nextDelay(3, new SplittableRandom(1)), p.nextDelay(3, new SplittableRandom(1)));
    }

    @Test
    void oneAttemptMeansNoRetry() {
        RetryPolicy p = new RetryPolicy(1, Duration.ofSeconds(1), Duration.ofSeconds(1), 0);
        assertEquals(Optional.empty(), p.nextDelay(1, SEEDED));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "0     | PT1S | PT1M | 0    | maxAttempts: 0 must be between 1 and 100.",
            "101   | PT1S | PT1M | 0    | maxAttempts: 101 must be between 1 and 100.",
            "3     | PT0S | PT1M | 0    | first: PT0S must be longer than zero.",
            "3     | -PT1S| PT1M | 0    | first: PT-1S must be longer than zero.",
            "3     | PT2M | PT1M | 0    | max: PT1M must be at least first (PT2M) and at most one day.",
            "3     | PT1S | P2D  | 0    | max: PT48H must be at least first (PT1S) and at most one day.",
            "3     | PT1S | PT1M | 1    | jitter: 1.0 must be at least 0 and less than 1.",
            "3     | PT1S | PT1M | -0.1 | jitter: -0.1 must be at least 0 and less than 1.",
            "3     | PT1S | PT1M | NaN  | jitter: NaN must be at least 0 and less than 1.",
            "0     | PT1S | PT1M | 2    | maxAttempts: 0 must be between 1 and 100. jitter: 2.0 must be at least 0 and less than 1.",
    })
    void refusesWhatCannotBeMeant(int maxAttempts, Duration first, Duration max, double jitter, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new RetryPolicy(maxAttempts, first, max, jitter));
        assertEquals(message, e.getMessage());
    }

    @Test
    void aDelayOnlyFollowsAnAttempt() {
        RetryPolicy p = new RetryPolicy(3, Duration.ofSeconds(1), Duration.ofMinutes(1), 0);
        assertEquals("attemptsSoFar: 0 must be at least 1 (a delay follows a failed attempt).",
                assertThrows(IllegalArgumentException.class, () -> p.nextDelay(0, SEEDED)).getMessage());
    }
}
