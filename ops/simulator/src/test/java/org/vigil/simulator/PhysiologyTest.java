package org.vigil.simulator;

import org.junit.jupiter.api.Test;
import org.vigil.core.DeviceReading;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhysiologyTest {
    private static final TenantId DEMO = new TenantId("demo");
    private static final Instant END = Instant.parse("2026-11-21T00:00:00Z");

    private static ReadingGenerator generator(int patients, double outOfRange) {
        Fleet fleet = Fleet.generate(DEMO, patients, 42);
        return new ReadingGenerator(fleet, new Physiology(outOfRange, 0), new ReadingEncoder(DEMO));
    }

    @Test
    void valuesStayPlausibleAndEpisodesMatchTheConfiguredRate() {
        double p = 0.02;
        BackfillSource source = new BackfillSource(generator(100, p), 100_000, END, Duration.ofDays(30));
        long eligible = 0;
        long outOfRange = 0;
        while (source.hasNext()) {
            DeviceReading r = source.next().reading();
            assertTrue(ClinicalRanges.isPlausible(r), () -> "implausible " + r);
            assertRounded(r);
            if (!r.code().equals("29463-7")) {
                eligible++;
                if (ClinicalRanges.isOutOfRange(r)) {
                    outOfRange++;
                }
            }
        }
        double rate = (double) outOfRange / eligible;
        assertTrue(rate > p * 0.8 && rate < p * 1.2, "out-of-range rate " + rate + " for p=" + p);
    }

    @Test
    void noEpisodesMeansNoOutOfRangeValues() {
        BackfillSource source = new BackfillSource(generator(100, 0), 50_000, END, Duration.ofDays(30));
        while (source.hasNext()) {
            DeviceReading r = source.next().reading();
            assertTrue(!ClinicalRanges.isOutOfRange(r), () -> "normal reading out of range: " + r);
        }
    }

    private static void assertRounded(DeviceReading r) {
        if (r.components() != null) {
            for (Measurement m : r.components()) {
                assertEquals(Math.rint(m.value()), m.value(), 0.0);
            }
            return;
        }
        double v = r.value();
        switch (r.code()) {
            case "29463-7", "8310-5" -> assertEquals(Math.round(v * 10) / 10.0, v, 1e-9);
            default -> assertEquals(Math.rint(v), v, 0.0);
        }
    }

    @Test
    void bloodPressureIsHigherInTheAfternoonThanAtNight() {
        Fleet fleet = Fleet.generate(DEMO, 1, 42);
        Physiology physiology = new Physiology(0, 0);
        Baseline b = Physiology.baseline(fleet, fleet.patients().get(0));
        SplittableRandom rng = new SplittableRandom(7);
        long day = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();
        double afternoon = 0;
        double night = 0;
        int days = 200;
        for (int d = 0; d < days; d++) {
            long midnight = day + d * 86_400_000L;
            afternoon += physiology.bloodPressure(b, midnight + hours(15) + (long) (b.chronotypeHours() * 3_600_000), rng).systolic();
            night += physiology.bloodPressure(b, midnight + hours(3) + (long) (b.chronotypeHours() * 3_600_000), rng).systolic();
        }
        afternoon /= days;
        night /= days;
        assertTrue(afternoon > night + 8, "afternoon " + afternoon + " vs night " + night);
    }

    @Test
    void temperatureIsLowestEarlyMorningAndHighestEarlyEvening() {
        assertEquals(-1, Physiology.temperatureCurve(4), 1e-9);
        assertEquals(1, Physiology.temperatureCurve(18), 1e-9);
        List<Double> curve = new ArrayList<>();
        for (double h = 0; h < 24; h += 0.25) {
            curve.add(Physiology.temperatureCurve(h));
        }
        assertEquals(-1, curve.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), 1e-9);
        // continuous at the seams
        assertEquals(Physiology.temperatureCurve(23.999), Physiology.temperatureCurve(0), 1e-3);
        assertEquals(Physiology.temperatureCurve(17.999), Physiology.temperatureCurve(18), 1e-3);
    }

    @Test
    void weightDriftsSlowly() {
        Fleet fleet = Fleet.generate(DEMO, 50, 42);
        for (SimPatient p : fleet.patients()) {
            Baseline b = Physiology.baseline(fleet, p);
            assertTrue(b.weightAmplitudeKg() * 2 * Math.PI / b.weightPeriodDays() <= 0.1 + 1e-9);
            assertTrue(b.systolic() >= 105 && b.systolic() <= 160);
            assertTrue(b.diastolic() >= 65 && b.diastolic() <= 100);
            assertTrue(b.spo2() >= 93 && b.spo2() <= 99);
            assertTrue(b.fastingGlucose() >= 80 && b.fastingGlucose() <= 180);
            assertTrue(b.temperature() >= 36.3 && b.temperature() <= 37.2);
        }
    }

    @Test
    void glucosePeaksAfterMeals() {
        Fleet fleet = Fleet.generate(DEMO, 1, 42);
        Physiology physiology = new Physiology(0, 0);
        Baseline b = Physiology.baseline(fleet, fleet.patients().get(0));
        long shift = (long) (b.chronotypeHours() * 3_600_000);
        SplittableRandom rng = new SplittableRandom(3);
        long midnight = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli() + shift;
        double fasting = 0;
        double postMeal = 0;
        for (int d = 0; d < 100; d++) {
            long day = midnight + d * 86_400_000L;
            fasting += physiology.glucose(b, day + hours(5), rng);
            postMeal += physiology.glucose(b, day + hours(13) + 15 * 60_000, rng);
        }
        assertTrue(postMeal > fasting + 1500, "post-meal " + postMeal / 100 + " vs fasting " + fasting / 100);
    }

    private static long hours(int h) {
        return h * 3_600_000L;
    }
}
