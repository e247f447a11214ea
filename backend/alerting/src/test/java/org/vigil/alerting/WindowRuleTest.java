package org.vigil.alerting;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WindowRuleTest {
    private static final Instant DAY0 = Instant.parse("2026-11-01T07:00:00Z");
    private static final double LB = 0.45359237;
    /** Heart failure: more than 2 lb in a day, more than 5 lb in a week (as kg: weights are stored in kg). */
    private static final WindowRule DAILY_GAIN = new WindowRule.RiseWithin("29463-7", 2 * LB, Duration.ofDays(1), false);
    private static final WindowRule WEEKLY_GAIN = new WindowRule.RiseWithin("29463-7", 5 * LB, Duration.ofDays(7), true);

    private static Band run(WindowRule rule, double... kgPerDay) {
        RecentSamples recent = RecentSamples.EMPTY;
        Band band = Band.NORMAL;
        for (int day = 0; day < kgPerDay.length; day++) {
            Sample s = new Sample(DAY0.plus(Duration.ofDays(day)), kgPerDay[day]);
            recent = recent.with(s, rule.keepFor().plusHours(1), rule.keepCount());
            band = rule.judge(recent, s);
        }
        return band;
    }

    @Test
    void twoPoundsInADayIsTheLimitNotABreach() {
        assertEquals(Band.NORMAL, run(DAILY_GAIN, 80, 80 + 2 * LB));
        assertEquals(Band.HIGH, run(DAILY_GAIN, 80, 80 + 2.2 * LB));
    }

    @Test
    void fivePoundsOverAWeekIsCriticalThoughNoSingleDayIs() {
        double[] week = new double[8];
        for (int d = 0; d < week.length; d++) {
            week[d] = 80 + d * 0.8 * LB;  // 0.8 lb a day: 5.6 lb in seven days
        }
        assertEquals(Band.NORMAL, run(DAILY_GAIN, week));
        assertEquals(Band.CRITICAL_HIGH, run(WEEKLY_GAIN, week));
    }

    @Test
    void aLossIsNotAGain() {
        assertEquals(Band.NORMAL, run(DAILY_GAIN, 82, 80));
    }

    @Test
    void anOvernightUploadIsJudgedInItsOwnTimeOrder() {
        RecentSamples recent = RecentSamples.EMPTY
                .with(new Sample(DAY0.plus(Duration.ofHours(20)), 81.5), Duration.ofDays(2), 100)
                .with(new Sample(DAY0, 80), Duration.ofDays(2), 100);
        assertEquals(List.of(DAY0, DAY0.plus(Duration.ofHours(20))), recent.samples().stream().map(Sample::at).toList());
        assertEquals(Band.HIGH, DAILY_GAIN.judge(recent, recent.samples().get(1)));
    }

    @Test
    void theMeanOfTheLastThreeReadings() {
        WindowRule mean = new WindowRule.MeanOfLast(new Thresholds("8480-6", "mm[Hg]", null, null, 140.0, null), 3, null);
        assertEquals(Band.NORMAL, run(mean, 150, 150), "fewer than three readings: no mean yet");
        assertEquals(Band.HIGH, run(mean, 150, 150, 130));
        assertEquals(Band.NORMAL, run(mean, 150, 150, 120));
    }

    @Test
    void stateIsBounded() {
        RecentSamples recent = RecentSamples.EMPTY;
        for (int i = 0; i < 100; i++) {
            recent = recent.with(new Sample(DAY0.plus(Duration.ofHours(i)), i), Duration.ofDays(1), 10);
        }
        assertEquals(10, recent.samples().size());
    }

    @Test
    void badWindowRulesAreRefusedWithTheFieldAtFault() {
        List<String> p = new WindowRule.RiseWithin("85354-9", -1, Duration.ZERO, false).problems("r");
        assertTrue(p.contains("r.code: '85354-9' is not a single-value LOINC code Vigil knows."), p.toString());
        assertTrue(p.contains("r.maxRise: -1.0 must be a positive amount."), p.toString());
        assertTrue(p.contains("r.window: PT0S must be longer than zero and at most 90 days."), p.toString());
        List<String> m = new WindowRule.MeanOfLast(new Thresholds("8480-6", "mm[Hg]", null, null, 140.0, null), 1, Duration.ofDays(400))
                .problems("m");
        assertTrue(m.contains("m.n: 1 must be between 2 and 1000."), m.toString());
        assertTrue(m.contains("m.period: PT9600H must be longer than zero and at most 90 days."), m.toString());
    }
}
