package org.vigil.simulator;

import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Generation must not be what limits the benchmark (1M readings at 40k+/s from one core). Prints the measured
 * single-thread rate of generating + hashing + serializing; asserts only a generous floor, so a slow CI machine
 * does not fail it.
 */
class GenerationThroughputTest {

    @Test
    void generatesAndSerializesWellAboveThePublishRate() {
        TenantId tenant = new TenantId("bench");
        ReadingGenerator g = new ReadingGenerator(Fleet.generate(tenant, 1_000, 42), new Physiology(), new ReadingEncoder(tenant));
        Instant end = Instant.parse("2026-11-21T00:00:00Z");
        drain(new BackfillSource(g, 200_000, end, Duration.ofDays(30))); // warm-up
        int n = 1_000_000;
        long start = System.nanoTime();
        long bytes = drain(new BackfillSource(g, n, end, Duration.ofDays(30)));
        double seconds = (System.nanoTime() - start) / 1e9;
        double rate = n / seconds;
        System.out.printf("generation: %d messages in %.2f s = %.0f msgs/s on one thread, %.0f bytes/message%n",
                n, seconds, rate, bytes / (double) n);
        assertTrue(rate > 40_000, "generation rate " + rate);
    }

    private static long drain(BackfillSource s) {
        long bytes = 0;
        while (s.hasNext()) {
            bytes += s.next().payload().length;
        }
        return bytes;
    }
}
