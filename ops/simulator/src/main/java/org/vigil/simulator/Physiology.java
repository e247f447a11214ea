package org.vigil.simulator;

import java.util.SplittableRandom;
import java.util.random.RandomGenerator;

/**
 * Turns a patient's {@link Baseline} and an instant into what a device would measure: baseline plus a daily
 * rhythm plus measurement noise, rounded as the device rounds. With probability {@link #outOfRangeProbability()}
 * a reading is instead an out-of-range episode (see {@link ClinicalRanges}); normal readings are clamped so they
 * never look like one. Every value stays inside VitalSign's plausibility bounds, which are for impossible values.
 * <p>
 * Stateless apart from its settings: the caller owns the random generator, so one Physiology can serve many
 * independent, deterministic streams.
 */
public final class Physiology {
    public static final double DEFAULT_OUT_OF_RANGE_PROBABILITY = 0.02;

    private static final double MS_PER_HOUR = 3_600_000.0;
    private static final double MS_PER_DAY = 86_400_000.0;
    private static final double TWO_PI = 2 * Math.PI;
    private static final double[] MEALS = {7.5, 12.5, 18.5};

    public record BloodPressure(int systolic, int diastolic) {
    }

    private final double outOfRangeProbability;
    private final long utcOffsetMillis;

    /**
     * @param utcOffsetMillis where the patients live, so "afternoon" means their afternoon; 0 = UTC
     */
    public Physiology(double outOfRangeProbability, long utcOffsetMillis) {
        if (!(outOfRangeProbability >= 0 && outOfRangeProbability <= 1)) {
            throw new IllegalArgumentException("out-of-range probability must be in [0, 1]: " + outOfRangeProbability);
        }
        this.outOfRangeProbability = outOfRangeProbability;
        this.utcOffsetMillis = utcOffsetMillis;
    }

    public Physiology() {
        this(DEFAULT_OUT_OF_RANGE_PROBABILITY, 0);
    }

    public double outOfRangeProbability() {
        return outOfRangeProbability;
    }

    /** The patient's baseline for a seed; independent of every other patient's. */
    public static Baseline baseline(Fleet fleet, SimPatient patient) {
        long s = Mix.combine(fleet.seed(), Mix.hash(fleet.tenant().value()), patient.index());
        return Baseline.draw(new SplittableRandom(s));
    }

    /** Hour of the patient's local day in [0, 24), shifted by the patient's chronotype. */
    double hourOfDay(Baseline b, long epochMillis) {
        double h = Math.floorMod(epochMillis + utcOffsetMillis, 86_400_000L) / MS_PER_HOUR - b.chronotypeHours();
        return h < 0 ? h + 24 : h >= 24 ? h - 24 : h;
    }

    /** Blood pressure and heart rate peak mid-afternoon and dip at night (cosine with its maximum at 15:00). */
    private static double afternoonPeak(double hour) {
        return Math.cos(TWO_PI * (hour - 15) / 24);
    }

    /** Core temperature: lowest around 04:00, highest around 18:00; the rise is slower than the fall. */
    static double temperatureCurve(double hour) {
        if (hour >= 4 && hour < 18) {
            return -Math.cos(Math.PI * (hour - 4) / 14);
        }
        double sinceEvening = hour >= 18 ? hour - 18 : hour + 6;
        return Math.cos(Math.PI * sinceEvening / 10);
    }

    private boolean episode(RandomGenerator rng) {
        return outOfRangeProbability > 0 && rng.nextDouble() < outOfRangeProbability;
    }

    public BloodPressure bloodPressure(Baseline b, long epochMillis, RandomGenerator rng) {
        if (episode(rng)) {
            return new BloodPressure(180 + rng.nextInt(20), 110 + rng.nextInt(16));
        }
        double c = afternoonPeak(hourOfDay(b, epochMillis));
        int systolic = clamp(Math.round(b.systolic() + 7 * c + 4 * rng.nextGaussian()), 85, ClinicalRanges.SYSTOLIC_CRISIS - 5);
        int diastolic = clamp(Math.round(b.diastolic() + 4 * c + 3 * rng.nextGaussian()), 45,
                Math.min(ClinicalRanges.DIASTOLIC_CRISIS - 5, systolic - 15));
        return new BloodPressure(systolic, diastolic);
    }

    public int heartRate(Baseline b, long epochMillis, RandomGenerator rng) {
        if (episode(rng)) {
            return 125 + rng.nextInt(21);
        }
        double c = afternoonPeak(hourOfDay(b, epochMillis));
        return clamp(Math.round(b.restingHeartRate() + 6 * c + 3 * rng.nextGaussian()), 45, ClinicalRanges.TACHYCARDIA - 5);
    }

    /** Weight has no episodes: an out-of-range weight is a trend over days, not one reading. */
    public double weight(Baseline b, long epochMillis, RandomGenerator rng) {
        double days = epochMillis / MS_PER_DAY;
        double slow = b.weightAmplitudeKg() * Math.sin(TWO_PI * days / b.weightPeriodDays() + b.weightPhase());
        // heavier in the evening than after the night
        double daily = 0.25 * Math.cos(TWO_PI * (hourOfDay(b, epochMillis) - 19) / 24);
        return tenths(b.weightKg() + slow + daily + 0.1 * rng.nextGaussian());
    }

    public int spo2(Baseline b, long epochMillis, RandomGenerator rng) {
        if (episode(rng)) {
            return 86 + rng.nextInt(4);
        }
        double h = hourOfDay(b, epochMillis);
        double nightDip = h < 6 ? 0.7 : 0;
        return clamp(Math.round(b.spo2() - nightDip + 0.8 * rng.nextGaussian()), ClinicalRanges.HYPOXEMIA_BELOW, 100);
    }

    public int glucose(Baseline b, long epochMillis, RandomGenerator rng) {
        if (episode(rng)) {
            return rng.nextBoolean() ? 300 + rng.nextInt(121) : 45 + rng.nextInt(14);
        }
        double h = hourOfDay(b, epochMillis);
        double rise = 0;
        for (double meal : MEALS) {
            double d = h - meal;
            if (d < 0) {
                d += 24;
            }
            if (d < 5) {
                // gamma-like curve: peaks 45 min after the meal, back near fasting after ~4 h
                double x = d / 0.75;
                rise += b.mealPeak() * x * Math.exp(1 - x);
            }
        }
        return clamp(Math.round(b.fastingGlucose() + rise + 6 * rng.nextGaussian()),
                ClinicalRanges.HYPOGLYCEMIA_BELOW, ClinicalRanges.HYPERGLYCEMIA_ABOVE);
    }

    public double temperature(Baseline b, long epochMillis, RandomGenerator rng) {
        if (episode(rng)) {
            return tenths(39.0 + 0.9 * rng.nextDouble());
        }
        double curve = temperatureCurve(hourOfDay(b, epochMillis));
        return Math.min(37.9, Math.max(35.8, tenths(b.temperature() + 0.3 * curve + 0.1 * rng.nextGaussian())));
    }

    private static int clamp(long v, int lo, int hi) {
        return (int) Math.max(lo, Math.min(hi, v));
    }

    private static double tenths(double v) {
        return Math.round(v * 10) / 10.0;
    }
}
