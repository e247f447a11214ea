package org.vigil.alerting;

import org.junit.jupiter.api.Test;
import org.vigil.alerting.Suppressor.Change;
import org.vigil.alerting.Suppressor.Phase;
import org.vigil.alerting.Suppressor.State;
import org.vigil.alerting.Suppressor.Step;
import org.vigil.alerting.Thresholds.Side;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Sequences of readings on the high side of systolic (high 140, critical 180) and what the alert makes of them. */
class SuppressorTest {
    private static final Thresholds SYSTOLIC = new Thresholds("8480-6", "mm[Hg]", null, null, 140.0, 180.0);
    private static final Instant T0 = Instant.parse("2026-11-21T08:00:00Z");

    private final List<State> states = new ArrayList<>();

    /** Feeds values one minute apart, continuing from the last state; returns the changes anyone hears about. */
    private List<Change> feed(SuppressionPolicy p, double margin, double... values) {
        State s = states.isEmpty() ? State.ARMED : states.get(states.size() - 1);
        List<Change> changes = new ArrayList<>();
        for (double v : values) {
            Instant at = T0.plus(Duration.ofMinutes(states.size()));
            Thresholds.Judgement j = SYSTOLIC.judge(Side.HIGH, v, margin);
            Step step = Suppressor.onReading(s, p, j.band(), v, at, j.insideMargin());
            s = step.state();
            states.add(s);
            if (step.change() != Change.NONE) {
                changes.add(step.change());
            }
        }
        return changes;
    }

    private State last() {
        return states.get(states.size() - 1);
    }

    @Test
    void aHundredRepeatedBreachesAreOneAlertWithCountAHundred() {
        double[] values = new double[100];
        java.util.Arrays.fill(values, 150);
        List<Change> changes = feed(SuppressionPolicy.IMMEDIATE, 0, values);
        assertEquals(Change.OPENED, changes.get(0));
        assertEquals(99, changes.stream().filter(c -> c == Change.UPDATED).count());
        assertEquals(1, changes.stream().filter(c -> c == Change.OPENED).count());
        assertEquals(100, last().count());
        assertEquals(Phase.OPEN, last().phase());
    }

    @Test
    void exactlyAtTheLimitIsNotABreach() {
        assertEquals(List.of(), feed(SuppressionPolicy.IMMEDIATE, 0, 140, 140, 140));
        assertEquals(Phase.ARMED, last().phase());
    }

    @Test
    void aBreachMustPersistForTheConfiguredReadings() {
        SuppressionPolicy three = new SuppressionPolicy(3, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO);
        assertEquals(List.of(), feed(three, 0, 150, 150, 120), "two then back: nothing");
        assertEquals(List.of(Change.OPENED), feed(three, 0, 150, 150, 150));
        assertEquals(3, last().count());
    }

    @Test
    void aCriticalValueIsNeverHeldBackByPersistence() {
        SuppressionPolicy three = new SuppressionPolicy(3, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO);
        assertEquals(List.of(Change.OPENED), feed(three, 0, 150, 190));
        assertEquals(Band.CRITICAL_HIGH, last().worst());
    }

    @Test
    void aReopenedAlertTakesTheSeverityOfTheBreachThatReopensIt() {
        SuppressionPolicy p = new SuppressionPolicy(1, Duration.ZERO, 0, Duration.ZERO, Duration.ofHours(12));
        assertEquals(List.of(Change.OPENED, Change.RESOLVED, Change.REOPENED), feed(p, 0, 185, 130, 165));
        assertEquals(Band.HIGH, last().worst(), "165 is high, not critical, whatever the episode before it was");
    }

    @Test
    void orForTheConfiguredTime() {
        SuppressionPolicy tenMinutes = new SuppressionPolicy(1000, Duration.ofMinutes(10), 0, Duration.ZERO, Duration.ZERO);
        double[] values = new double[11];
        java.util.Arrays.fill(values, 150);
        assertEquals(List.of(Change.OPENED), feed(tenMinutes, 0, values));
        assertEquals(T0.plus(Duration.ofMinutes(10)), last().openedAt(), "opened when the breach had lasted ten minutes");
    }

    @Test
    void aValueHoveringAtTheLimitDoesNotFlap() {
        SuppressionPolicy p = new SuppressionPolicy(1, Duration.ZERO, 5, Duration.ZERO, Duration.ZERO);
        assertEquals(List.of(Change.OPENED, Change.UPDATED, Change.UPDATED), feed(p, 5, 141, 139, 141, 138, 142));
        assertEquals(Phase.OPEN, last().phase(), "139 and 138 are inside 140 but not by the 5 mmHg margin");
        assertEquals(List.of(Change.RESOLVED), feed(p, 5, 134));
        assertEquals(Phase.ARMED, last().phase());
    }

    @Test
    void anAlertResolvesAfterTheConfiguredTimeBackInRangeEvenWithoutReadings() {
        SuppressionPolicy p = new SuppressionPolicy(1, Duration.ZERO, 0, Duration.ofMinutes(30), Duration.ZERO);
        assertEquals(List.of(Change.OPENED), feed(p, 0, 150, 120));
        assertEquals(Phase.RECOVERING, last().phase());
        Step early = Suppressor.tick(last(), p, T0.plus(Duration.ofMinutes(20)));
        assertEquals(Change.NONE, early.change());
        Step due = Suppressor.tick(last(), p, T0.plus(Duration.ofMinutes(31)));
        assertEquals(Change.RESOLVED, due.change());
    }

    @Test
    void aBreachWhileRecoveringKeepsTheSameAlert() {
        SuppressionPolicy p = new SuppressionPolicy(1, Duration.ZERO, 0, Duration.ofMinutes(30), Duration.ZERO);
        assertEquals(List.of(Change.OPENED, Change.UPDATED), feed(p, 0, 150, 120, 151));
        assertEquals(2, last().count());
        assertEquals(T0, last().openedAt());
    }

    @Test
    void aWorseBandEscalatesTheOpenAlertAndStaysItsSeverity() {
        assertEquals(List.of(Change.OPENED, Change.ESCALATED, Change.UPDATED), feed(SuppressionPolicy.IMMEDIATE, 0, 150, 185, 150));
        assertEquals(Band.CRITICAL_HIGH, last().worst());
    }

    @Test
    void withinTheCooldownABreachReopensTheSameAlertAfterItANewOneOpens() {
        SuppressionPolicy p = new SuppressionPolicy(1, Duration.ZERO, 0, Duration.ZERO, Duration.ofMinutes(5));
        assertEquals(List.of(Change.OPENED, Change.RESOLVED, Change.REOPENED), feed(p, 0, 150, 120, 150));
        assertEquals(T0, last().openedAt(), "the same alert");
        assertEquals(List.of(Change.RESOLVED), feed(p, 0, 120, 120, 120, 120, 120, 120));
        assertEquals(List.of(Change.OPENED), feed(p, 0, 150), "the cooldown is over: a new alert");
        assertEquals(1, last().count());
    }

    @Test
    void aLowValueIsInsideForTheHighSide() {
        assertEquals(List.of(), feed(SuppressionPolicy.IMMEDIATE, 0, 60, 70));
    }

    @Test
    void badPoliciesAreRefusedWithTheFieldAtFault() {
        assertEquals(List.of("p.persistReadings: 0 must be between 1 and 1000.", "p.cooldown: PT-1M must be between 0 and 30 days.",
                        "p.hysteresisPercent: -1.0 must be between 0 and 50."),
                new SuppressionPolicy(0, Duration.ZERO, -1, Duration.ZERO, Duration.ofMinutes(-1)).problems("p"));
    }
}
