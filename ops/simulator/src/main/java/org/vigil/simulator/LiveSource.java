package org.vigil.simulator;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Readings as they happen: each device measures on its own schedule and the reading's effective time is the
 * moment it is emitted. Schedules are scaled so the whole fleet yields about {@code ratePerSecond} readings;
 * glucometers measure three times as often as scales (see {@link DeviceKind}), with ±20 % jitter per interval.
 * {@link #hasNext()} blocks until the next device is due and returns false once {@code stop} says so.
 */
public final class LiveSource implements Iterator<SimMessage> {
    /** Longest single wait, so a stop request is noticed promptly even at very low rates. */
    private static final long MAX_NAP_MILLIS = 100;

    private record Due(long at, int device) {
    }

    private final ReadingGenerator generator;
    private final LongSupplier clockMillis;
    private final Sleeper sleeper;
    private final BooleanSupplier stop;
    private final double[] intervalMillis;
    private final SplittableRandom rng;
    private final PriorityQueue<Due> schedule;
    private final ArrayDeque<SimMessage> buffer = new ArrayDeque<>(4);

    public LiveSource(ReadingGenerator generator, double ratePerSecond, LongSupplier clockMillis, Sleeper sleeper,
                      BooleanSupplier stop) {
        if (!(ratePerSecond > 0)) {
            throw new IllegalArgumentException("rate must be > 0: " + ratePerSecond);
        }
        this.generator = generator;
        this.clockMillis = clockMillis;
        this.sleeper = sleeper;
        this.stop = stop;
        this.rng = new SplittableRandom(Mix.combine(generator.fleet().seed(), 0x11FEL));
        int perPatientCycle = 0;
        for (DeviceKind k : DeviceKind.values()) {
            perPatientCycle += k.liveWeight() * k.readingsPerMeasurement();
        }
        double cycleMillis = 1000.0 * generator.fleet().patients().size() * perPatientCycle / ratePerSecond;
        int n = generator.deviceCount();
        this.intervalMillis = new double[n];
        this.schedule = new PriorityQueue<>(Math.max(1, n), (a, b) -> Long.compare(a.at(), b.at()));
        long now = clockMillis.getAsLong();
        for (int d = 0; d < n; d++) {
            intervalMillis[d] = cycleMillis / generator.device(d).kind().liveWeight();
            // random phase: devices must not all fire in the first millisecond
            schedule.add(new Due(now + (long) (rng.nextDouble() * intervalMillis[d]), d));
        }
    }

    public static LiveSource realTime(ReadingGenerator generator, double ratePerSecond, BooleanSupplier stop) {
        return new LiveSource(generator, ratePerSecond, System::currentTimeMillis, Sleeper.SYSTEM, stop);
    }

    @Override
    public boolean hasNext() {
        while (buffer.isEmpty()) {
            if (stop.getAsBoolean()) {
                return false;
            }
            Due next = schedule.peek();
            long now = clockMillis.getAsLong();
            if (next.at() > now) {
                try {
                    sleeper.sleep(Math.min(next.at() - now, MAX_NAP_MILLIS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                continue;
            }
            schedule.poll();
            generator.measure(next.device(), now, rng, buffer::add);
            long following = next.at() + (long) (intervalMillis[next.device()] * (0.8 + 0.4 * rng.nextDouble()));
            // after a stall (laptop asleep, GC), resume the schedule instead of replaying the backlog in a burst
            schedule.add(new Due(Math.max(following, now - 1000), next.device()));
        }
        return true;
    }

    @Override
    public SimMessage next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return buffer.poll();
    }
}
