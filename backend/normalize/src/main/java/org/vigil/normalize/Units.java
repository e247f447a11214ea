package org.vigil.normalize;

import org.vigil.core.VitalSign;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Converts a device's value to the canonical UCUM unit of its LOINC code ({@link VitalSign#unit()}). Accepts the
 * UCUM spelling and the spellings formats use in the wild ({@code mmHg}, {@code lb}, {@code F}, {@code bpm}).
 * Conversions are exact factors; results are rounded to 6 decimals so that unit noise (98.6 °F → 37.0000000001 °C)
 * does not make two equal readings look different.
 */
public final class Units {
    /** mg/dL per mmol/L of glucose (molar mass 180.156 g/mol). */
    public static final double GLUCOSE_MG_DL_PER_MMOL_L = 18.0156;
    public static final double MM_HG_PER_KPA = 7.500615758;
    public static final double KG_PER_LB = 0.45359237;

    private static final double F_TO_C = 5.0 / 9;
    private static final double LB = KG_PER_LB;
    private static final double GLU = GLUCOSE_MG_DL_PER_MMOL_L;

    // canonical UCUM unit → (lower-case spelling → canonical = value × factor + offset); every conversion is linear
    private static final Map<String, Map<String, Linear>> BY_CANONICAL = Map.of(
            "mm[Hg]", Map.of("mm[hg]", id(), "mmhg", id(), "mm hg", id(), "kpa", times(MM_HG_PER_KPA)),
            // Open mHealth's mass-unit-value spellings too (Ton is the US short ton)
            "kg", Map.ofEntries(Map.entry("kg", id()), Map.entry("g", times(0.001)), Map.entry("mg", times(1e-6)),
                    Map.entry("ug", times(1e-9)), Map.entry("lb", times(LB)), Map.entry("[lb_av]", times(LB)),
                    Map.entry("lbs", times(LB)), Map.entry("oz", times(LB / 16)), Map.entry("[oz_av]", times(LB / 16)),
                    Map.entry("gr", times(LB / 7000)), Map.entry("ton", times(LB * 2000)), Map.entry("metric ton", times(1000))),
            "Cel", Map.ofEntries(Map.entry("cel", id()), Map.entry("c", id()), Map.entry("°c", id()),
                    Map.entry("degc", id()), Map.entry("[degf]", new Linear(F_TO_C, -32 * F_TO_C)),
                    Map.entry("f", new Linear(F_TO_C, -32 * F_TO_C)), Map.entry("°f", new Linear(F_TO_C, -32 * F_TO_C)),
                    Map.entry("degf", new Linear(F_TO_C, -32 * F_TO_C)), Map.entry("k", new Linear(1, -273.15))),
            "mg/dL", Map.of("mg/dl", id(), "mmol/l", times(GLU), "mol/l", times(1000 * GLU), "kg/l", times(100_000),
                    "g/l", times(100)),
            "/min", Map.of("/min", id(), "1/min", id(), "{beats}/min", id(), "beats/min", id(), "bpm", id(),
                    "{breaths}/min", id(), "breaths/min", id(), "{beat}/min", id(), "{breath}/min", id()),
            "%", Map.of("%", id()),
            "cm", Map.of("cm", id(), "m", times(100), "mm", times(0.1), "[in_i]", times(2.54), "in", times(2.54)),
            "kg/m2", Map.of("kg/m2", id(), "kg/m^2", id()),
            "{steps}", Map.of("{steps}", id(), "steps", id(), "{count}", id()));

    private record Linear(double factor, double offset) {
        double apply(double v) {
            return v * factor + offset;
        }
    }

    private static Linear id() {
        return new Linear(1, 0);
    }

    private static Linear times(double factor) {
        return new Linear(factor, 0);
    }

    private Units() {
    }

    /**
     * The value in {@code sign}'s canonical unit, or empty when {@code unit} is not a unit of that quantity.
     * Glucose conversions are glucose-specific (they use its molar mass); this is only called with glucose's code.
     */
    public static Optional<Double> toCanonical(VitalSign sign, double value, String unit) {
        if (unit == null) {
            return Optional.empty();
        }
        Map<String, Linear> from = BY_CANONICAL.get(sign.unit());
        Linear f = from == null ? null : from.get(unit.strip().toLowerCase(Locale.ROOT));
        return f == null ? Optional.empty() : Optional.of(round(f.apply(value)));
    }

    /** True when {@code unit} is the canonical unit itself (no original value needs keeping). */
    public static boolean isCanonical(VitalSign sign, String unit) {
        return sign.unit().equals(unit);
    }

    private static double round(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : v;
    }
}
