package org.vigil.alerting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.core.Measurement;
import org.vigil.core.Reading;
import org.vigil.core.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdsTest {
    private static final Thresholds SYSTOLIC = new Thresholds("8480-6", "mm[Hg]", 80.0, 90.0, 140.0, 180.0);
    private static final Thresholds DIASTOLIC = new Thresholds("8462-4", "mm[Hg]", null, 50.0, 90.0, 110.0);
    private static final Program HYPERTENSION = new Program("hypertension", List.of(SYSTOLIC, DIASTOLIC), List.of(), List.of(),
            null, SuppressionPolicy.IMMEDIATE);
    private static final AlertConfig CONFIG = new AlertConfig(java.util.Map.of("hypertension", HYPERTENSION), List.of("hypertension"),
            AlertConfig.DeviceWatch.NONE, List.of(), java.util.Map.of(), List.of(), java.time.Duration.ofHours(6), false,
            java.time.ZoneOffset.UTC);

    @ParameterizedTest(name = "systolic {0} → {1}")
    @CsvSource(textBlock = """
            79.9,  CRITICAL_LOW
            80,    LOW
            89.9,  LOW
            90,    NORMAL
            120,   NORMAL
            140,   NORMAL
            140.1, HIGH
            180,   HIGH
            180.1, CRITICAL_HIGH
            """)
    void aValueAtALimitIsInsideIt(double value, Band band) {
        assertEquals(band, SYSTOLIC.classify(value));
    }

    @Test
    void absentLimitsNeverFire() {
        assertEquals(Band.LOW, DIASTOLIC.classify(10), "no critical-low limit: the low band extends down");
    }

    private static Reading bp(List<Measurement> components) {
        Instant t = Instant.parse("2026-11-21T08:00:00Z");
        return new Reading(new TenantId("acme"), UUID.randomUUID(), "CUFF-1", "85354-9", components, t, t, t, List.of(),
                "canonical", "READINGS:1", "0".repeat(32));
    }

    /** The breaches a reading makes under these settings: code, band, value and the limit crossed. */
    private record Breach(String code, Band band, double value, double limit) {
    }

    private static List<Breach> breaches(PatientSettings settings, Reading r) {
        return Evaluator.onReading(CONFIG.rulesFor(settings), new PatientMemory(), r, CONFIG.lateAfter(), true).stream()
                .map(c -> new Breach(c.code(), c.after().worst(), c.value(), c.limit())).toList();
    }

    private static List<Breach> breaches(Reading r) {
        return breaches(PatientSettings.NOT_ENROLLED, r);
    }

    @Test
    void eachComponentOfAPanelIsJudgedOnItsOwn() {
        assertEquals(List.of(new Breach("8480-6", Band.CRITICAL_HIGH, 185, 180), new Breach("8462-4", Band.HIGH, 95, 90)),
                breaches(bp(List.of(new Measurement("8480-6", 185, "mm[Hg]"), new Measurement("8462-4", 95, "mm[Hg]")))));
    }

    @Test
    void aMissingComponentIsNotJudged() {
        assertEquals(List.of(), breaches(bp(List.of(new Measurement("8480-6", 120, "mm[Hg]")))));
    }

    @Test
    void aUnitMismatchIsNotCompared() {
        // 24 kPa is 180 mm[Hg]; compared as a bare number against mm[Hg] limits it would be critically low.
        assertEquals(List.of(), breaches(bp(List.of(new Measurement("8480-6", 24, "kPa")))));
    }

    @Test
    void aPatientsOverrideReplacesTheProgramsThresholdsForThatCodeOnly() {
        PatientSettings own = new PatientSettings(List.of("hypertension"),
                List.of(new Thresholds("8480-6", "mm[Hg]", null, null, 160.0, null)), null);
        assertEquals(List.of(), breaches(own, bp(List.of(new Measurement("8480-6", 150, "mm[Hg]")))));
        assertEquals(Band.HIGH, breaches(own, bp(List.of(new Measurement("8462-4", 95, "mm[Hg]")))).get(0).band());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            inverted bands        | 8480-6  | mm[Hg] | 80  | 140 | 90  | 180  | t.high: 90.0 must be above low
            overlapping critical  | 8480-6  | mm[Hg] | 95  | 90  | 140 | 180  | t.low: 90.0 must be above criticalLow
            equal limits          | 8480-6  | mm[Hg] |     | 90  | 90  |      | t.high: 90.0 must be above low
            unknown code          | 1234-5  | mm[Hg] |     | 90  |     |      | t.code: '1234-5' is not a LOINC code
            a panel               | 85354-9 | mm[Hg] |     | 90  |     |      | set thresholds on its components
            unit mismatch         | 29463-7 | lb     |     | 50  |     |      | t.unit: Body weight (29463-7) is compared in 'kg'
            impossible limit      | 59408-5 | %      |     | 40  |     |      | t.low: 40.0 % is outside
            no limit at all       | 8867-4  | /min   |     |     |     |      | t: no limit is set
            """)
    void badThresholdsAreRefusedWithTheFieldAtFault(String name, String code, String unit, Double criticalLow, Double low,
                                                     Double high, Double criticalHigh, String expected) {
        List<String> problems = new Thresholds(code, unit, criticalLow, low, high, criticalHigh).problems("t");
        assertTrue(problems.stream().anyMatch(p -> p.contains(expected)), problems.toString());
    }

    @Test
    void twoThresholdsForOneCodeAreRefused() {
        List<String> problems = Thresholds.problems(List.of(SYSTOLIC, SYSTOLIC), "programs.hypertension", "this program");
        assertEquals(List.of("programs.hypertension.thresholds[1].code: 8480-6 already has thresholds in this program."), problems);
    }

    @Test
    void goodThresholdsHaveNoProblems() {
        assertEquals(List.of(), HYPERTENSION.problems("programs.hypertension"));
    }
}
