package org.vigil.bench;

import org.junit.jupiter.api.Test;
import org.vigil.alerting.AlertChange;
import org.vigil.alerting.Band;
import org.vigil.alerting.Suppressor.Change;
import org.vigil.alerting.Suppressor.Phase;
import org.vigil.alerting.Suppressor.State;
import org.vigil.alerting.Thresholds.Side;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The replay's arithmetic and its critical-coverage check, on alert logs written by hand. */
class AlertReplayTest {
    private static final Instant START = Instant.parse("2026-10-01T00:00:00Z");

    /** One change per line: patient, program, key, change, worst band so far, time after START (ISO-8601). */
    private static List<PatientChange> log(String table) {
        return table.lines().filter(l -> !l.isBlank()).map(l -> {
            String[] f = l.trim().split("\\s+");
            Instant at = START.plus(Duration.parse(f[5]));
            String key = f[2];
            Change change = Change.valueOf(f[3]);
            State after = change == Change.RESOLVED ? State.ARMED
                    : new State(Phase.OPEN, Band.valueOf(f[4]), 1, 0.0, at, at, at);
            return new PatientChange(Integer.parseInt(f[0]), new AlertChange(key, key.substring(0, key.lastIndexOf('/')), f[1],
                    Side.valueOf(key.substring(key.lastIndexOf('/') + 1).toUpperCase()), change, State.ARMED, after, null,
                    Double.NaN, null, null, at, false, key + " " + change));
        }).toList();
    }

    @Test
    void countsAlertsPeopleSeePerPatientDayAndBySeverityProgramAndKind() {
        List<PatientChange> log = log("""
                0 hypertension band:8480-6/high                    OPENED    HIGH          PT8H
                0 hypertension band:8480-6/high                    ESCALATED CRITICAL_HIGH PT9H
                0 hypertension band:8480-6/high                    RESOLVED  CRITICAL_HIGH PT11H
                0 hypertension band:8480-6/high                    REOPENED  CRITICAL_HIGH PT12H
                0 hypertension mean:8480-6:last5/high              OPENED    HIGH          P1DT1H
                1 copd         combined:hypoxia-with-tachycardia/high OPENED CRITICAL_HIGH PT3H
                1 copd         no-data/high                        OPENED    HIGH          P1DT4H
                1 copd         band:59408-5/low                    UPDATED   LOW           P1DT5H
                """);
        // 3 patients × 2 days; patient 2 is quiet. Per patient-day: 2, 1, 1, 1, 0, 0.
        FatigueReport r = FatigueReport.of(log, 3, START, 2);
        assertEquals(5, r.alerts(), "OPENED and REOPENED only");
        assertEquals(5 / 6.0, r.meanPerPatientDay(), 1e-12);
        assertEquals(1, r.p50());
        assertEquals(2, r.p95());
        assertEquals(2, r.max());
        assertEquals(Map.of("critical", 2L, "warning", 3L), r.bySeverity());
        assertEquals(1, r.escalated());
        assertEquals(Map.of("hypertension", 3L, "copd", 2L), r.byProgram());
        assertEquals(Map.of("band", 2L, "mean", 1L, "combined", 1L, "no-data", 1L), r.byKind());

        List<PatientChange> more = new ArrayList<>(log);
        more.addAll(log("""
                2 general band:8480-6/high OPENED   CRITICAL_HIGH PT1H
                2 general band:8480-6/high RESOLVED CRITICAL_HIGH PT2H
                2 general band:8480-6/high OPENED   CRITICAL_HIGH P1DT1H
                """));
        String table = FatigueReport.table(r, FatigueReport.of(more, 3, START, 2), List.of("general", "hypertension", "copd"));
        assertTrue(table.matches("(?s).*alerts opened\\s+5\\s+7\\s+1\\.40\\n.*"), table);
        assertTrue(table.matches("(?s).*by program\\s+general\\s+0\\s+2\\s+∞\\n.*"), table);
        assertTrue(table.matches("(?s).*rise\\s+0\\s+0\\s+–\\n.*"), table);
    }

    @Test
    void nearestRankPercentiles() {
        int[] sorted = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7};
        assertEquals(0, FatigueReport.nearestRank(sorted, 50));
        assertEquals(0, FatigueReport.nearestRank(sorted, 95), "19 of 20 is exactly 95 %");
        assertEquals(7, FatigueReport.nearestRank(sorted, 96));
        assertEquals(3, FatigueReport.nearestRank(new int[]{3}, 50));
    }

    @Test
    void everyCriticalChangeWithoutSuppressionMustFallInAnOpenCriticalAlertOfTheSameRule() {
        List<PatientChange> a = log("""
                0 p band:8480-6/high  OPENED    CRITICAL_HIGH PT10H
                0 p band:8480-6/high  RESOLVED  CRITICAL_HIGH PT11H10M
                1 p band:59408-5/low  OPENED    LOW           PT8H
                1 p band:59408-5/low  ESCALATED CRITICAL_LOW  PT9H
                2 p band:8867-4/low   OPENED    CRITICAL_LOW  PT7H
                3 p band:8462-4/high  OPENED    CRITICAL_HIGH PT7H
                4 p band:8480-6/high  OPENED    CRITICAL_HIGH PT7H
                5 p band:8480-6/high  OPENED    HIGH          PT7H
                5 p band:8480-6/high  ESCALATED CRITICAL_HIGH PT8H30M
                """);
        List<PatientChange> b = log("""
                0 p band:8480-6/high  OPENED    CRITICAL_HIGH PT10H
                0 p band:8480-6/high  UPDATED   CRITICAL_HIGH PT10H5M
                0 p band:8480-6/high  RESOLVED  CRITICAL_HIGH PT10H10M
                0 p band:8480-6/high  OPENED    CRITICAL_HIGH PT12H
                0 p band:8480-6/high  RESOLVED  CRITICAL_HIGH PT12H5M
                1 p band:59408-5/low  OPENED    LOW           PT8H
                1 p band:59408-5/low  ESCALATED CRITICAL_LOW  PT9H
                1 p band:59408-5/low  UPDATED   CRITICAL_LOW  PT9H30M
                2 p band:8867-4/high  OPENED    CRITICAL_HIGH PT8H
                3 p band:8480-6/high  OPENED    CRITICAL_HIGH PT8H
                5 p band:8480-6/high  OPENED    CRITICAL_HIGH PT8H
                """);
        CriticalCoverage c = CriticalCoverage.check(a, b);
        // Patient 0's second episode comes after A resolved; patient 3 has a critical alert of another rule only
        // (patient 4's is another patient's); patient 5's alert was open but not yet critical. Patient 1 is covered
        // from the escalation on (the warning before it is not checked), patient 2 by the other side of the rule.
        assertEquals(6, c.episodes());
        assertEquals(3, c.episodesCovered());
        assertEquals(8, c.readings());
        assertEquals(List.of("0 band:8480-6/high " + START.plus(Duration.ofHours(12)), "3 band:8480-6/high " + START.plus(Duration.ofHours(8)),
                        "5 band:8480-6/high " + START.plus(Duration.ofHours(8))),
                c.missing().stream().map(m -> m.alertKey() + " " + m.change().at()).toList());
        assertTrue(c.report(1).contains("missing  3:") && c.report(1).contains("… and 2 more"), c.report(1));
        assertEquals(List.of(), CriticalCoverage.check(b, b).missing(), "a run covers itself");
    }
}
