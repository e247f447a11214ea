package org.vigil.simulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Exactly {@code count} readings with effective times spread over {@code span} before {@code end}, as if the
 * whole fleet had uploaded its history. The span is cut into rounds; in each round every device measures once at
 * a jittered instant inside the round. Rounds do not overlap and a device never measures twice per round, so no
 * two readings share (device, code, effective): all content hashes differ. Same inputs → same messages.
 */
public final class BackfillSource implements Iterator<SimMessage> {
    private final ReadingGenerator generator;
    private final long count;
    private final long startMillis;
    private final long roundMillis;
    private final SplittableRandom rng;
    private final ArrayDeque<SimMessage> buffer = new ArrayDeque<>(4);
    private long emitted;
    private long round;
    private int device;

    public BackfillSource(ReadingGenerator generator, long count, Instant end, Duration span) {
        if (count < 0) {
            throw new IllegalArgumentException("count must be >= 0: " + count);
        }
        long rounds = Math.max(1, (count + generator.readingsPerRound() - 1) / generator.readingsPerRound());
        long roundMillis = span.toMillis() / rounds;
        if (roundMillis < 1) {
            throw new IllegalArgumentException(count + " readings do not fit in " + span + " for "
                    + generator.fleet().patients().size() + " patients without two readings of a device in the same"
                    + " millisecond: use more days or more patients");
        }
        this.generator = generator;
        this.count = count;
        this.roundMillis = roundMillis;
        this.startMillis = end.toEpochMilli() - rounds * roundMillis;
        this.rng = new SplittableRandom(Mix.combine(generator.fleet().seed(), 0xBAC0F111L));
    }

    /** A default volume: every device measuring about four times a day. */
    public static long defaultCount(int patients, int days) {
        return 4L * days * patients * 7;
    }

    @Override
    public boolean hasNext() {
        return emitted < count;
    }

    @Override
    public SimMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        if (buffer.isEmpty()) {
            long at = startMillis + round * roundMillis + rng.nextLong(roundMillis);
            generator.measure(device, at, rng, buffer::add);
            if (++device == generator.deviceCount()) {
                device = 0;
                round++;
            }
        }
        emitted++;
        return buffer.poll();
    }
}
