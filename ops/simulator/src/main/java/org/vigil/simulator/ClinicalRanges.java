package org.vigil.simulator;

import org.vigil.core.DeviceReading;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;

import java.util.List;

/**
 * The thresholds that separate the simulator's normal readings from its out-of-range episodes. Normal values
 * are clamped inside them and episodes are drawn outside them, so a test (or an alert-rule demo) can tell the
 * two apart from the value alone. These are not clinical guidance, only what this simulator guarantees.
 */
public final class ClinicalRanges {
    public static final int SYSTOLIC_CRISIS = 180;
    public static final int DIASTOLIC_CRISIS = 110;
    public static final int TACHYCARDIA = 120;
    public static final int HYPOXEMIA_BELOW = 90;
    public static final int HYPERGLYCEMIA_ABOVE = 250;
    public static final int HYPOGLYCEMIA_BELOW = 70;
    public static final double FEVER = 38.5;

    private ClinicalRanges() {
    }

    /** Whether a value of a LOINC code is outside the normal band; weight has no episodes, so never. */
    public static boolean isOutOfRange(String code, double value) {
        return switch (code) {
            case "8480-6" -> value >= SYSTOLIC_CRISIS;
            case "8462-4" -> value >= DIASTOLIC_CRISIS;
            case "8867-4" -> value > TACHYCARDIA;
            case "59408-5" -> value < HYPOXEMIA_BELOW;
            case "2339-0" -> value > HYPERGLYCEMIA_ABOVE || value < HYPOGLYCEMIA_BELOW;
            case "8310-5" -> value >= FEVER;
            default -> false;
        };
    }

    public static boolean isOutOfRange(DeviceReading reading) {
        return reading.measurements().stream().anyMatch(m -> isOutOfRange(m.code(), m.value()));
    }

    /** Whether every value of the reading is inside {@link VitalSign}'s plausibility bounds. */
    public static boolean isPlausible(DeviceReading reading) {
        List<Measurement> measured = reading.measurements();
        return !measured.isEmpty() && measured.stream()
                .allMatch(m -> VitalSign.byCode(m.code()).map(v -> v.isPlausible(m.value())).orElse(false));
    }
}
