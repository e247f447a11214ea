package org.vigil.simulator;

import java.util.random.RandomGenerator;

/**
 * One patient's physiology at rest, drawn once from the seed. Weight wanders as a slow sine instead of a
 * random walk so that it stays bounded over any span and the value at a given instant does not depend on how
 * many readings came before it (backfill and live then agree).
 *
 * @param weightAmplitudeKg chosen so the steepest slope, amplitude·2π/period, stays within 0.1 kg/day
 * @param mealPeak          glucose rise above fasting about 45 minutes after a meal (mg/dL)
 * @param chronotypeHours   shifts this patient's daily rhythm: early birds peak earlier
 */
public record Baseline(double systolic, double diastolic, double restingHeartRate, double weightKg,
                       double weightAmplitudeKg, double weightPeriodDays, double weightPhase, double spo2,
                       double fastingGlucose, double mealPeak, double temperature, double chronotypeHours) {

    static Baseline draw(RandomGenerator rng) {
        double systolic = uniform(rng, 105, 160);
        double diastolic = Math.min(uniform(rng, 65, 100), systolic - 25);
        double weight = uniform(rng, 50, 130);
        double period = uniform(rng, 60, 180);
        double amplitude = Math.min(uniform(rng, 0.5, 3.0), 0.1 * period / (2 * Math.PI));
        double fasting = uniform(rng, 80, 180);
        // diabetic patients (high fasting glucose) also spike higher after meals
        double mealPeak = 20 + (fasting - 80) * 0.4 + uniform(rng, 0, 25);
        return new Baseline(systolic, diastolic, uniform(rng, 55, 90), weight, amplitude, period,
                uniform(rng, 0, 2 * Math.PI), uniform(rng, 93, 99), fasting, mealPeak,
                uniform(rng, 36.3, 37.2), uniform(rng, -1, 1));
    }

    private static double uniform(RandomGenerator rng, double lo, double hi) {
        return lo + (hi - lo) * rng.nextDouble();
    }
}
