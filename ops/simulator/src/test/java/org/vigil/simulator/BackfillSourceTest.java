package org.vigil.simulator;

import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackfillSourceTest {
    private static final TenantId DEMO = new TenantId("demo");
    private static final Instant END = Instant.parse("2026-11-21T12:00:00Z");

    private static ReadingGenerator generator(int patients, long seed) {
        return new ReadingGenerator(Fleet.generate(DEMO, patients, seed), new Physiology(), new ReadingEncoder(DEMO));
    }

    @Test
    void yieldsExactlyKDistinctReadingsInsideTheSpan() {
        int k = 200_000;
        BackfillSource source = new BackfillSource(generator(10, 42), k, END, Duration.ofDays(30));
        Set<String> ids = new HashSet<>();
        long from = END.minus(Duration.ofDays(30)).toEpochMilli();
        int n = 0;
        while (source.hasNext()) {
            SimMessage m = source.next();
            assertTrue(ids.add(m.msgId()), "duplicate msgId " + m.msgId());
            long t = Instant.parse(m.reading().effective()).toEpochMilli();
            assertTrue(t >= from && t < END.toEpochMilli(), m.reading().effective());
            n++;
        }
        assertEquals(k, n);
        assertEquals(k, ids.size());
    }

    @Test
    void isDeterministic() {
        List<String> a = ids(new BackfillSource(generator(30, 7), 5_000, END, Duration.ofDays(10)));
        List<String> b = ids(new BackfillSource(generator(30, 7), 5_000, END, Duration.ofDays(10)));
        List<String> c = ids(new BackfillSource(generator(30, 8), 5_000, END, Duration.ofDays(10)));
        assertEquals(a, b);
        assertTrue(!a.equals(c), "another seed gives other readings");
    }

    @Test
    void refusesMoreReadingsThanMillisecondsAllow() {
        assertThrows(IllegalArgumentException.class,
                () -> new BackfillSource(generator(1, 1), 1_000_000, END, Duration.ofMillis(100)));
    }

    @Test
    void zeroIsEmpty() {
        assertTrue(!new BackfillSource(generator(1, 1), 0, END, Duration.ofDays(1)).hasNext());
    }

    private static List<String> ids(BackfillSource s) {
        List<String> ids = new ArrayList<>();
        s.forEachRemaining(m -> ids.add(m.msgId()));
        return ids;
    }
}
