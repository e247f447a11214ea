package org.vigil.ehr.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * A circuit breaker per endpoint. Closed: sends go out. After {@code threshold} consecutive endpoint failures it
 * opens: nothing is tried until the open period ends, then one send probes (half-open). A probe that succeeds
 * closes it; one that fails opens it again for twice as long, up to 8 times the base. So an EHR that is down gets
 * one probe every few seconds to a minute, not a flood, and its items keep their failure budget.
 */
final class Breaker {
    enum State { CLOSED, OPEN, HALF_OPEN }

    private final int threshold;
    private final Duration base;
    private State state = State.CLOSED;
    private int consecutive;
    private int opened;
    private Instant until = Instant.MIN;
    private boolean probing;

    Breaker(int threshold, Duration base) {
        this.threshold = threshold;
        this.base = base;
    }

    /** How many sends may start now: all of them (closed), one probe (half-open, none in flight) or none. */
    synchronized int allowed(Instant now, int wanted) {
        if (state == State.OPEN && !now.isBefore(until)) {
            state = State.HALF_OPEN;
            probing = false;
        }
        if (state == State.CLOSED) {
            return wanted;
        }
        if (state == State.HALF_OPEN && !probing && wanted > 0) {
            probing = true;
            return 1;
        }
        return 0;
    }

    synchronized void succeeded() {
        state = State.CLOSED;
        consecutive = 0;
        opened = 0;
        probing = false;
    }

    synchronized void failed(Instant now) {
        consecutive++;
        if (state == State.HALF_OPEN || consecutive >= threshold) {
            opened = Math.min(opened + 1, 4);
            state = State.OPEN;
            until = now.plus(base.multipliedBy(1L << (opened - 1)));
            probing = false;
        }
    }

    synchronized State state() {
        return state;
    }

    synchronized Instant openUntil() {
        return until;
    }
}
