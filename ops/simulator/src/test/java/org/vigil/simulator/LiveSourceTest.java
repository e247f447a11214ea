package org.vigil.simulator;

import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveSourceTest {
    private static final TenantId DEMO = new TenantId("demo");

    @Test
    void emitsAboutTheRequestedRateTimedNow() {
        AtomicLong clock = new AtomicLong(Instant.parse("2026-11-21T09:00:00Z").toEpochMilli());
        long start = clock.get();
        long end = start + 600_000;
        ReadingGenerator generator = new ReadingGenerator(Fleet.generate(DEMO, 20, 42), new Physiology(), new ReadingEncoder(DEMO));
        LiveSource live = new LiveSource(generator, 50, clock::get, clock::addAndGet, () -> clock.get() >= end);
        Map<String, Integer> byCode = new HashMap<>();
        int n = 0;
        long last = 0;
        while (live.hasNext()) {
            SimMessage m = live.next();
            long effective = Instant.parse(m.reading().effective()).toEpochMilli();
            assertEquals(clock.get(), effective, "effective time is the moment of emission");
            assertTrue(effective >= last);
            last = effective;
            byCode.merge(m.reading().code(), 1, Integer::sum);
            n++;
        }
        double rate = n / 600.0;
        assertTrue(rate > 45 && rate < 55, "rate " + rate);
        // glucometers measure three times as often as scales
        double ratio = byCode.get("2339-0") / (double) byCode.get("29463-7");
        assertTrue(ratio > 2.5 && ratio < 3.5, "glucose/weight " + ratio);
    }

    @Test
    void stopsWhenAsked() {
        AtomicLong clock = new AtomicLong(1_800_000_000_000L);
        ReadingGenerator generator = new ReadingGenerator(Fleet.generate(DEMO, 2, 1), new Physiology(), new ReadingEncoder(DEMO));
        AtomicLong taken = new AtomicLong();
        LiveSource live = new LiveSource(generator, 1000, clock::get, clock::addAndGet, () -> taken.get() >= 10);
        while (live.hasNext()) {
            live.next();
            taken.incrementAndGet();
        }
        assertFalse(live.hasNext());
        assertTrue(taken.get() >= 10 && taken.get() <= 11);
    }
}
