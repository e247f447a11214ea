package org.vigil.simulator;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * Spaces events evenly at a target rate: each event gets a slot 1/rate after the previous one's, and the caller
 * waits for its slot. Waits shorter than {@link #MIN_WAIT_NANOS} are skipped (a park that short oversleeps);
 * the schedule still advances, so the debt is repaid at the next longer wait and the average rate stays exact.
 * After a stall, at most {@link #MAX_DEBT_NANOS} of missed slots are caught up, never a burst of whole seconds.
 * Not thread-safe: one publishing thread owns it.
 */
final class Pacer {
    static final long MIN_WAIT_NANOS = 200_000;
    static final long MAX_DEBT_NANOS = 50_000_000;

    private final long intervalNanos;
    private final LongSupplier nanoClock;
    private final LongConsumer parkNanos;
    private boolean started;
    private long next;

    Pacer(double perSecond, LongSupplier nanoClock, LongConsumer parkNanos) {
        this.intervalNanos = perSecond > 0 ? Math.max(1, Math.round(1e9 / perSecond)) : 0;
        this.nanoClock = nanoClock;
        this.parkNanos = parkNanos;
    }

    /** A pacer for {@code perSecond} events per second; 0 or less means unlimited. */
    static Pacer of(double perSecond) {
        return new Pacer(perSecond, System::nanoTime, LockSupport::parkNanos);
    }

    void await() {
        if (intervalNanos == 0) {
            return;
        }
        long now = nanoClock.getAsLong();
        if (!started || now - next > MAX_DEBT_NANOS) {
            next = started ? now - MAX_DEBT_NANOS : now;
            started = true;
        }
        long wait = next - now;
        if (wait >= MIN_WAIT_NANOS) {
            parkNanos.accept(wait);
        }
        next += intervalNanos;
    }
}
