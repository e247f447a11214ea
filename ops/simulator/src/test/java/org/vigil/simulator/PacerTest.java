package org.vigil.simulator;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PacerTest {

    @Test
    void keepsTheAverageRateAndNeverWaitsInLongBursts() {
        AtomicLong now = new AtomicLong(5_000_000_000L);
        AtomicLong longestPark = new AtomicLong();
        Pacer pacer = new Pacer(40_000, now::get, ns -> {
            longestPark.accumulateAndGet(ns, Math::max);
            now.addAndGet(ns);
        });
        long start = now.get();
        for (int i = 0; i < 400_000; i++) {
            pacer.await();
            now.addAndGet(2_000); // the work itself takes 2 µs
        }
        double seconds = (now.get() - start) / 1e9;
        assertEquals(10.0, seconds, 0.01);
        assertTrue(longestPark.get() < 1_000_000, "smooth pacing parks for well under a millisecond: " + longestPark);
    }

    @Test
    void catchesUpAtMostALittleAfterAStall() {
        AtomicLong now = new AtomicLong(0);
        AtomicLong parks = new AtomicLong();
        Pacer pacer = new Pacer(1_000, now::get, ns -> {
            parks.incrementAndGet();
            now.addAndGet(ns);
        });
        pacer.await();
        now.addAndGet(10_000_000_000L); // 10 s stall
        long before = now.get();
        int burst = 0;
        while (now.get() == before) {
            pacer.await();
            burst++;
        }
        // 50 ms of debt at 1000/s is about 50 events back-to-back, not 10,000
        assertTrue(burst <= 52, "burst " + burst);
    }

    @Test
    void unlimitedNeverParks() {
        Pacer pacer = new Pacer(0, () -> 0, ns -> {
            throw new AssertionError("parked");
        });
        for (int i = 0; i < 1000; i++) {
            pacer.await();
        }
    }
}
