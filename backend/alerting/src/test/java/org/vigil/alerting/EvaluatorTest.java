package org.vigil.alerting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.alerting.Suppressor.Change;
import org.vigil.alerting.config.AlertConfigReader;
import org.vigil.core.Measurement;
import org.vigil.core.Reading;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every rule kind through the evaluator, with the edges: at the limit, missing component, unit mismatch, late, restart. */
class EvaluatorTest {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final AlertConfig CONFIG = AlertConfigReader.read("""
            programs:
              p:
                thresholds:
                  - { code: 8480-6, criticalLow: 80, low: 90, high: 160, criticalHigh: 180 }
                  - { code: 8462-4, high: 100 }
                  - { code: 8867-4, high: 110 }
                  - { code: 59408-5, low: 92 }
                trends:
                  - { kind: rise, code: 29463-7, by: 2, unit: "[lb_av]", within: 1d }
                  - { kind: mean, code: 2339-0, last: 3, high: 180 }
                combined:
                  - name: hypoxia-with-tachycardia
                    all: [ { code: 59408-5, below: 90 }, { code: 8867-4, above: 120 } ]
                    within: 15m
                    critical: true
                noDataAfter: 48h
                suppression: { persistReadings: 1, hysteresisPercent: 3, resolveAfter: 0s, cooldown: 0s }
              other:
                thresholds:
                  - { code: 8480-6, criticalHigh: 200 }
            defaultPrograms: [ other ]
            """);
    private static final PatientSettings ENROLLED = new PatientSettings(List.of("p"), List.of(), null);

    private final PatientMemory memory = new PatientMemory();
    private final List<AlertChange> changes = new ArrayList<>();
    private int minute;

    private static Reading reading(Instant at, Instant received, String code, Measurement... ms) {
        return new Reading(new TenantId("tenant-a"), new UUID(0, 1), "dev", code, List.of(ms), at, received, at, List.of(),
                "canonical", "READINGS:1", "h");
    }

    private List<AlertChange> feed(PatientSettings s, String code, double value, String unit) {
        Instant at = T0.plus(Duration.ofMinutes(minute++));
        List<AlertChange> c = Evaluator.onReading(CONFIG.rulesFor(s), memory, reading(at, at, code, new Measurement(code, value, unit)),
                CONFIG.lateAfter(), true);
        changes.addAll(c);
        return c;
    }

    private List<AlertChange> feed(String code, double value) {
        return feed(ENROLLED, code, value, org.vigil.core.VitalSign.byCode(code).orElseThrow().unit());
    }

    /** code, value, expected change (or NONE), expected severity, key. */
    @ParameterizedTest(name = "{0} = {1} → {2}")
    @CsvSource(textBlock = """
            8480-6,  160,   NONE,   -,        -
            8480-6,  160.01, OPENED, WARNING, band:8480-6/high
            8480-6,  180,   OPENED, WARNING,  band:8480-6/high
            8480-6,  180.5, OPENED, CRITICAL, band:8480-6/high
            8480-6,  90,    NONE,   -,        -
            8480-6,  89.9,  OPENED, WARNING,  band:8480-6/low
            8480-6,  79,    OPENED, CRITICAL, band:8480-6/low
            8462-4,  100,   NONE,   -,        -
            8462-4,  101,   OPENED, WARNING,  band:8462-4/high
            59408-5, 92,    NONE,   -,        -
            59408-5, 91,    OPENED, WARNING,  band:59408-5/low
            8310-5,  41,    NONE,   -,        -
            """)
    void singleValuesAgainstTheirBands(String code, double value, Change change, String severity, String key) {
        List<AlertChange> c = feed(code, value);
        if (change == Change.NONE) {
            assertEquals(List.of(), c);
            return;
        }
        assertEquals(1, c.size(), c.toString());
        assertEquals(change, c.get(0).change());
        assertEquals(Severity.valueOf(severity), c.get(0).severity());
        assertEquals(key, c.get(0).key());
    }

    @Test
    void aPanelIsJudgedPerComponentAndAMissingComponentIsNotJudged() {
        Instant at = T0;
        List<AlertChange> both = Evaluator.onReading(CONFIG.rulesFor(ENROLLED), memory, reading(at, at, "85354-9",
                new Measurement("8480-6", 170, "mm[Hg]"), new Measurement("8462-4", 105, "mm[Hg]")), CONFIG.lateAfter(), true);
        assertEquals(List.of("band:8480-6/high", "band:8462-4/high"), both.stream().map(AlertChange::key).toList());
        assertTrue(both.get(0).summary().startsWith("Systolic blood pressure 170 mmHg is above"), "people read print "
                + "symbols, not UCUM codes: " + both.get(0).summary());
        assertEquals("mm[Hg]", both.get(0).unit(), "the data keeps the UCUM code");
        List<AlertChange> systolicOnly = Evaluator.onReading(CONFIG.rulesFor(ENROLLED), new PatientMemory(), reading(at, at, "85354-9",
                new Measurement("8480-6", 170, "mm[Hg]")), CONFIG.lateAfter(), true);
        assertEquals(List.of("band:8480-6/high"), systolicOnly.stream().map(AlertChange::key).toList());
    }

    @Test
    void aValueInAnotherUnitThanItsThresholdsIsNeverCompared() {
        assertEquals(List.of(), feed(ENROLLED, "8480-6", 25, "kPa"), "25 kPa is 187 mm[Hg], but it is not in the canonical unit");
        assertEquals(List.of(), feed(ENROLLED, "29463-7", 300, "[lb_av]"));
    }

    @Test
    void hysteresisKeepsAnAlertOpenUntilTheValueIsClearlyBack() {
        feed("8480-6", 170);
        assertEquals(List.of(), feed("8480-6", 157), "inside 160 but not by 3 % (155.2)");
        assertEquals(Change.RESOLVED, feed("8480-6", 155).get(0).change());
    }

    @Test
    void aWorseBandEscalatesTheSameAlert() {
        feed("8480-6", 170);
        List<AlertChange> c = feed("8480-6", 185);
        assertEquals(Change.ESCALATED, c.get(0).change());
        assertEquals(Severity.CRITICAL, c.get(0).severity());
        assertEquals(2, c.get(0).after().count());
    }

    /** Weight in kg: the rule is 2 lb (0.907185 kg) within a day. */
    @ParameterizedTest(name = "{0} then {1} → {2}")
    @CsvSource(textBlock = """
            80, 80.907185, NONE
            80, 80.91,     OPENED
            80, 79,        NONE
            """)
    void weightRiseWithinADay(double first, double second, Change expected) {
        feed("29463-7", first);
        List<AlertChange> c = feed("29463-7", second);
        assertEquals(expected, c.isEmpty() ? Change.NONE : c.get(0).change(), c.toString());
        if (!c.isEmpty()) {
            assertEquals("rise:29463-7:PT24H/high", c.get(0).key());
            assertTrue(c.get(0).summary().startsWith("Body weight rose 0.91 kg within 1 d"), c.get(0).summary());
        }
    }

    @Test
    void aRiseOutsideTheWindowDoesNotCount() {
        Instant day0 = T0;
        Instant day2 = T0.plus(Duration.ofHours(25));
        PatientRules rules = CONFIG.rulesFor(ENROLLED);
        Evaluator.onReading(rules, memory, reading(day0, day0, "29463-7", new Measurement("29463-7", 80, "kg")), CONFIG.lateAfter(), true);
        assertEquals(List.of(), Evaluator.onReading(rules, memory, reading(day2, day2, "29463-7",
                new Measurement("29463-7", 82, "kg")), CONFIG.lateAfter(), true));
    }

    @Test
    void theMeanOfTheLastThreeValues() {
        assertEquals(List.of(), feed("2339-0", 250), "one value is not a mean of three");
        assertEquals(List.of(), feed("2339-0", 200));
        assertEquals(List.of(), feed("2339-0", 80), "a mean of 176.7 is inside; no single glucose value is judged here");
    }

    @Test
    void theMeanOfTheLastThreeValuesAboveItsLimit() {
        feed("2339-0", 190);
        feed("2339-0", 180);
        List<AlertChange> c = feed("2339-0", 180);
        assertEquals(1, c.size(), c.toString());
        assertEquals("mean:2339-0:last3/high", c.get(0).key());
        assertEquals(183.333, c.get(0).value(), 1e-3);
        List<AlertChange> atLimit = feed("2339-0", 180);
        assertEquals(Change.RESOLVED, atLimit.get(0).change(), "mean exactly 180 is inside");
    }

    @Test
    void combinedConditionsNeedAllOfThemCloseInTime() {
        assertEquals(List.of(), feed("59408-5", 89).stream().filter(c -> c.key().startsWith("combined")).toList());
        List<AlertChange> c = feed("8867-4", 125).stream().filter(x -> x.key().startsWith("combined")).toList();
        assertEquals(1, c.size());
        assertEquals(Severity.CRITICAL, c.get(0).severity());
        assertTrue(c.get(0).summary().contains("Oxygen saturation by pulse oximetry 89 %"), c.get(0).summary());
    }

    @Test
    void combinedConditionsTooFarApartDoNotFire() {
        PatientRules rules = CONFIG.rulesFor(ENROLLED);
        Instant later = T0.plus(Duration.ofMinutes(16));
        Evaluator.onReading(rules, memory, reading(T0, T0, "59408-5", new Measurement("59408-5", 89, "%")), CONFIG.lateAfter(), true);
        List<AlertChange> c = Evaluator.onReading(rules, memory, reading(later, later, "8867-4", new Measurement("8867-4", 125, "/min")),
                CONFIG.lateAfter(), true);
        assertTrue(c.stream().noneMatch(x -> x.key().startsWith("combined")), c.toString());
    }

    @Test
    void noDataOpensAfterTheLimitAndAnyReadingEndsIt() {
        PatientRules rules = CONFIG.rulesFor(ENROLLED);
        feed("8867-4", 70);
        assertEquals(List.of(), Evaluator.tick(rules, memory, T0.plus(Duration.ofHours(47)), null));
        List<AlertChange> open = Evaluator.tick(rules, memory, T0.plus(Duration.ofHours(48)), null);
        assertEquals("no-data/high", open.get(0).key());
        assertEquals(Change.OPENED, open.get(0).change());
        assertEquals(List.of(), Evaluator.tick(rules, memory, T0.plus(Duration.ofHours(49)), null), "one alert, not one per tick");
        Instant back = T0.plus(Duration.ofHours(50));
        List<AlertChange> c = Evaluator.onReading(rules, memory, reading(back, back, "8867-4", new Measurement("8867-4", 70, "/min")),
                CONFIG.lateAfter(), true);
        assertEquals(Change.RESOLVED, c.get(0).change());
    }

    @Test
    void aReadingTakenBeforeTheNoDataAlertOpenedButDeliveredAfterItEndsIt() {
        PatientRules rules = CONFIG.rulesFor(ENROLLED);
        feed("8867-4", 70);
        Instant opened = T0.plus(Duration.ofHours(48));
        assertEquals(Change.OPENED, Evaluator.tick(rules, memory, opened, null).get(0).change());
        // Measured an hour before the alert opened, held by the hub, delivered just after: the patient was not silent.
        Instant taken = opened.minus(Duration.ofHours(1));
        List<AlertChange> c = Evaluator.onReading(rules, memory, reading(taken, opened.plusSeconds(60), "8867-4",
                new Measurement("8867-4", 72, "/min")), CONFIG.lateAfter(), true);
        assertEquals(List.of(Change.RESOLVED), c.stream().map(AlertChange::change).toList());
        assertEquals(List.of(), Evaluator.tick(rules, memory, opened.plusSeconds(120), null), "and it is not opened again");
    }

    @Test
    void aReadingStillOlderThanTheNoDataLimitWhenItArrivesLeavesTheAlertOpen() {
        PatientRules rules = CONFIG.rulesFor(ENROLLED);
        feed("8867-4", 70);
        Instant opened = T0.plus(Duration.ofHours(48));
        assertEquals(Change.OPENED, Evaluator.tick(rules, memory, opened, null).get(0).change());
        // Taken after the alert opened, but arriving 2 days later: as of its arrival the patient is still silent
        // for longer than the limit, so the alert stands (ending it would only have the next tick open another).
        Instant taken = opened.plus(Duration.ofHours(1));
        Instant arrived = taken.plus(Duration.ofHours(50));
        assertEquals(List.of(), Evaluator.onReading(rules, memory, reading(taken, arrived, "8867-4",
                new Measurement("8867-4", 72, "/min")), CONFIG.lateAfter(), true));
        assertEquals(List.of(), Evaluator.tick(rules, memory, arrived.plusSeconds(60), null), "still the one alert");
    }

    @Test
    void aPatientWhoNeverSentAnythingIsSilentSinceEnrolment() {
        List<AlertChange> c = Evaluator.tick(CONFIG.rulesFor(ENROLLED), memory, T0.plus(Duration.ofDays(3)), T0);
        assertTrue(c.get(0).summary().contains("none since enrolment"), c.get(0).summary());
    }

    @Test
    void aLateReadingRaisesItsAlertMarkedLate() {
        Instant taken = T0;
        Instant arrived = T0.plus(Duration.ofHours(7));
        List<AlertChange> c = Evaluator.onReading(CONFIG.rulesFor(ENROLLED), memory,
                reading(taken, arrived, "8480-6", new Measurement("8480-6", 170, "mm[Hg]")), CONFIG.lateAfter(), true);
        assertTrue(c.get(0).late());
    }

    @Test
    void anOldNormalValueDoesNotResolveAnAlertWithNewerBreaches() {
        PatientRules rules = CONFIG.rulesFor(ENROLLED);
        Instant now = T0.plus(Duration.ofHours(1));
        Evaluator.onReading(rules, memory, reading(now, now, "8480-6", new Measurement("8480-6", 170, "mm[Hg]")), CONFIG.lateAfter(), true);
        assertEquals(List.of(), Evaluator.onReading(rules, memory, reading(T0, now, "8480-6", new Measurement("8480-6", 120, "mm[Hg]")),
                CONFIG.lateAfter(), true));
    }

    @Test
    void patientOverridesReplaceTheProgramCodeByCode() {
        PatientSettings own = new PatientSettings(List.of("p"), List.of(new Thresholds("8480-6", "mm[Hg]", null, null, 150.0, null)), null);
        assertEquals(Change.OPENED, feed(own, "8480-6", 155, "mm[Hg]").get(0).change());
        assertEquals(Change.OPENED, feed(own, "8867-4", 115, "/min").get(0).change(), "the program's other codes still apply");
    }

    @Test
    void aPatientInNoProgramGetsTheDefaultPrograms() {
        assertEquals(List.of(), feed(PatientSettings.NOT_ENROLLED, "8480-6", 190, "mm[Hg]"));
        assertEquals(Severity.CRITICAL, feed(PatientSettings.NOT_ENROLLED, "8480-6", 201, "mm[Hg]").get(0).severity());
    }

    @Test
    void anAlertOfARuleNoLongerConfiguredResolvesOnTheNextTick() {
        feed("8462-4", 110);
        PatientRules without = CONFIG.rulesFor(new PatientSettings(List.of("other"), List.of(), null));
        List<AlertChange> c = Evaluator.tick(without, memory, T0.plus(Duration.ofMinutes(5)), null);
        assertEquals(Change.RESOLVED, c.get(0).change());
        assertTrue(c.get(0).summary().contains("no longer applies"));
    }

    @Test
    void catchingUpWithoutJudgingLeavesTheSameMemoryAsJudging() {
        // A restart re-reads messages whose effects are committed: windows must end where they were.
        PatientRules rules = CONFIG.rulesFor(ENROLLED);
        PatientMemory judged = new PatientMemory();
        PatientMemory caughtUp = new PatientMemory();
        for (int i = 0; i < 10; i++) {
            Instant at = T0.plus(Duration.ofHours(i));
            Reading r = reading(at, at, "29463-7", new Measurement("29463-7", 80 + i * 0.1, "kg"));
            Evaluator.onReading(rules, judged, r, CONFIG.lateAfter(), true);
            Evaluator.onReading(rules, caughtUp, r, CONFIG.lateAfter(), false);
        }
        assertEquals(judged.windows(), caughtUp.windows());
        assertEquals(judged.lastReadingAt(), caughtUp.lastReadingAt());
        assertEquals(java.util.Map.of(), caughtUp.states());
    }
}
