package org.vigil.simulator;

import java.time.Duration;

/**
 * @param maxInFlight   unacknowledged publishes allowed at once; beyond it the publisher waits for the oldest.
 *                      Thousands keep the server busy (40–51k msgs/s measured with 1k–20k in flight)
 * @param ratePerSecond smooth pacing target; 0 publishes as fast as acks allow
 * @param maxAttempts   attempts per message (first publish included) before it counts as failed
 * @param retryBackoff  wait before the second attempt; doubles for each further one
 * @param ackTimeout    how long to wait for one ack before treating the attempt as failed
 */
public record PublishSettings(int maxInFlight, double ratePerSecond, int maxAttempts, Duration retryBackoff,
                              Duration ackTimeout) {

    public PublishSettings {
        if (maxInFlight < 1 || maxAttempts < 1 || ratePerSecond < 0) {
            throw new IllegalArgumentException("invalid publish settings: maxInFlight=" + maxInFlight
                    + " maxAttempts=" + maxAttempts + " rate=" + ratePerSecond);
        }
    }

    public static PublishSettings defaults() {
        return new PublishSettings(4_000, 0, 4, Duration.ofMillis(250), Duration.ofSeconds(30));
    }

    public PublishSettings withRate(double perSecond) {
        return new PublishSettings(maxInFlight, perSecond, maxAttempts, retryBackoff, ackTimeout);
    }

    public PublishSettings withMaxInFlight(int n) {
        return new PublishSettings(n, ratePerSecond, maxAttempts, retryBackoff, ackTimeout);
    }
}
