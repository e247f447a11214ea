package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * The alert-fatigue state machine for one key (patient, rule, side of the normal band): it turns a stream of
 * judged readings into at most one open alert, whatever the repetition. Pure: the state goes in and comes out
 * (it is persisted with the stream sequence that produced it), so a restart neither misses nor repeats.
 * <pre>
 * ARMED ──breach──▶ PENDING ──persisted──▶ OPEN ──back in range (past the hysteresis margin)──▶ RECOVERING
 *   ▲                  │ in range                ▲ breach (same alert; a worse band escalates it)      │
 *   └──────────────────┘                          └──────────────────────────────────────────────────────┤
 *   └─────────── cooldown over ◀── COOLING (a breach here reopens the same alert) ◀── resolveAfter ─────┘
 * </pre>
 * A breach is never swallowed: within the cooldown it reopens the alert rather than being ignored.
 */
public final class Suppressor {
    private Suppressor() {
    }

    public enum Phase { ARMED, PENDING, OPEN, RECOVERING, COOLING }

    /**
     * @param worst     the most severe band seen while the alert was open (or pending)
     * @param count     readings out of band since the alert (or its pending phase) began
     * @param since     when the current phase began (first breach, opening, back in range, resolution)
     * @param openedAt  when the alert opened; null before it has
     */
    public record State(Phase phase, @Nullable Band worst, int count, @Nullable Double lastValue,
                        @Nullable Instant lastSeen, @Nullable Instant since, @Nullable Instant openedAt) {

        public static final State ARMED = new State(Phase.ARMED, null, 0, null, null, null, null);
    }

    /** What changed for the alert; {@link Change#NONE} when nothing anyone needs to hear about. */
    public enum Change { NONE, OPENED, UPDATED, ESCALATED, REOPENED, RESOLVED }

    public record Step(State state, Change change) {
    }

    /**
     * One judged reading on this key's side.
     *
     * @param band          the reading's band ({@link Band#NORMAL} when inside)
     * @param insideMargin  the value is back inside the limit by at least the hysteresis margin
     */
    public static Step onReading(State s, SuppressionPolicy p, Band band, double value, Instant at, boolean insideMargin) {
        boolean breach = band != Band.NORMAL;
        return switch (s.phase()) {
            case ARMED -> breach ? pendingOrOpen(new State(Phase.PENDING, band, 1, value, at, at, null), p, at, Change.OPENED)
                    : new Step(s, Change.NONE);
            case PENDING -> breach
                    ? pendingOrOpen(new State(Phase.PENDING, worse(s.worst(), band), s.count() + 1, value, at, s.since(), null), p, at, Change.OPENED)
                    : new Step(State.ARMED, Change.NONE);
            case OPEN, RECOVERING -> {
                if (breach) {
                    Band worst = worse(s.worst(), band);
                    State open = new State(Phase.OPEN, worst, s.count() + 1, value, at,
                            s.phase() == Phase.OPEN ? s.since() : at, s.openedAt());
                    yield new Step(open, severity(worst) > severity(s.worst()) ? Change.ESCALATED : Change.UPDATED);
                }
                if (!insideMargin) {
                    // Inside the limit but not by the margin: still hovering at it, the alert stays as it is.
                    yield new Step(new State(s.phase(), s.worst(), s.count(), value, at, s.since(), s.openedAt()), Change.NONE);
                }
                State recovering = s.phase() == Phase.RECOVERING ? s
                        : new State(Phase.RECOVERING, s.worst(), s.count(), value, at, at, s.openedAt());
                yield resolveIfDue(recovering, p, at);
            }
            case COOLING -> {
                if (!at.isBefore(s.since().plus(p.cooldown()))) {
                    yield onReading(State.ARMED, p, band, value, at, insideMargin);
                }
                // Reopened at the severity of the breach that reopens it: a warning-level value after a critical
                // episode has resolved must not page the ladder as if it were critical again.
                yield breach
                        ? new Step(new State(Phase.OPEN, band, s.count() + 1, value, at, at, s.openedAt()), Change.REOPENED)
                        : new Step(s, Change.NONE);
            }
        };
    }

    /** Time passing without readings: a recovering alert resolves, a cooldown ends. */
    public static Step tick(State s, SuppressionPolicy p, Instant now) {
        if (s.phase() == Phase.RECOVERING) {
            return resolveIfDue(s, p, now);
        }
        if (s.phase() == Phase.COOLING && !now.isBefore(s.since().plus(p.cooldown()))) {
            return new Step(State.ARMED, Change.NONE);
        }
        return new Step(s, Change.NONE);
    }

    private static Step pendingOrOpen(State pending, SuppressionPolicy p, Instant at, Change onOpen) {
        boolean enoughReadings = pending.count() >= p.persistReadings() || pending.worst().critical();
        boolean longEnough = !p.persistFor().isZero() && !at.isBefore(pending.since().plus(p.persistFor()));
        if (enoughReadings || longEnough) {
            return new Step(new State(Phase.OPEN, pending.worst(), pending.count(), pending.lastValue(), at, at, at), onOpen);
        }
        return new Step(pending, Change.NONE);
    }

    private static Step resolveIfDue(State recovering, SuppressionPolicy p, Instant now) {
        if (now.isBefore(recovering.since().plus(p.resolveAfter()))) {
            return new Step(recovering, Change.NONE);
        }
        State cooling = new State(Phase.COOLING, recovering.worst(), recovering.count(), recovering.lastValue(),
                recovering.lastSeen(), now, recovering.openedAt());
        return new Step(p.cooldown().isZero() ? State.ARMED : cooling, Change.RESOLVED);
    }

    private static Band worse(@Nullable Band a, Band b) {
        return a == null || severity(b) > severity(a) ? b : a;
    }

    private static int severity(@Nullable Band b) {
        return b == null || b == Band.NORMAL ? 0 : b.critical() ? 2 : 1;
    }
}
