package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.VitalSign;

import java.util.ArrayList;
import java.util.List;

/**
 * Limits for one LOINC code — a single vital sign, or one component of a panel (systolic 8480-6 and diastolic
 * 8462-4 are limited separately) — in that code's canonical UCUM unit. Any limit may be absent; those present must
 * be strictly increasing: criticalLow &lt; low &lt; high &lt; criticalHigh.
 */
public record Thresholds(String code, String unit, @Nullable Double criticalLow, @Nullable Double low,
                         @Nullable Double high, @Nullable Double criticalHigh) {

    /** The band of a value; a value equal to a limit is on the inner side of it. */
    public Band classify(double value) {
        if (criticalLow != null && value < criticalLow) {
            return Band.CRITICAL_LOW;
        }
        if (criticalHigh != null && value > criticalHigh) {
            return Band.CRITICAL_HIGH;
        }
        if (low != null && value < low) {
            return Band.LOW;
        }
        if (high != null && value > high) {
            return Band.HIGH;
        }
        return Band.NORMAL;
    }

    /** The two sides of the normal band; each has its own alert, so a low and a high are never merged. */
    public enum Side { LOW, HIGH }

    /**
     * A value seen from one side: its band if it is out on that side (else {@link Band#NORMAL}), and whether it is
     * back inside that side's limit by at least {@code margin} (the hysteresis that stops an alert flapping).
     */
    public record Judgement(Band band, boolean insideMargin) {
    }

    public Judgement judge(Side side, double value, double margin) {
        Band band = classify(value);
        boolean onThisSide = side == Side.HIGH ? band == Band.HIGH || band == Band.CRITICAL_HIGH
                : band == Band.LOW || band == Band.CRITICAL_LOW;
        Double limit = side == Side.HIGH ? (high != null ? high : criticalHigh) : (low != null ? low : criticalLow);
        boolean inside = limit == null || (side == Side.HIGH ? value <= limit - margin : value >= limit + margin);
        return new Judgement(onThisSide ? band : Band.NORMAL, !onThisSide && inside);
    }

    /** The limit a value in {@code band} crossed; null for {@link Band#NORMAL}. */
    @Nullable
    public Double limit(Band band) {
        return switch (band) {
            case CRITICAL_LOW -> criticalLow;
            case LOW -> low;
            case NORMAL -> null;
            case HIGH -> high;
            case CRITICAL_HIGH -> criticalHigh;
        };
    }

    /**
     * Problems of a list of thresholds ({@code <at>.thresholds[i]…}): each entry's own, and a code limited twice.
     *
     * @param where whose list it is, for the message ("this program", "this patient")
     */
    public static List<String> problems(List<Thresholds> list, String at, String where) {
        List<String> out = new ArrayList<>();
        java.util.Set<String> codes = new java.util.HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String field = (at.isEmpty() ? "" : at + ".") + "thresholds[" + i + "]";
            out.addAll(list.get(i).problems(field));
            if (!codes.add(list.get(i).code())) {
                out.add(field + ".code: " + list.get(i).code() + " already has thresholds in " + where + ".");
            }
        }
        return out;
    }

    /**
     * What is wrong with these thresholds, each naming its field under {@code at} (e.g.
     * {@code programs.hypertension.thresholds[0].low}); empty when they can be used.
     */
    public List<String> problems(String at) {
        List<String> out = new ArrayList<>();
        VitalSign sign = VitalSign.byCode(code).orElse(null);
        if (sign == null) {
            out.add(at + ".code: '" + code + "' is not a LOINC code Vigil knows.");
            return out;
        }
        if (sign.isPanel()) {
            out.add(at + ".code: " + code + " is a panel; set thresholds on its components " + sign.components() + ".");
            return out;
        }
        if (!sign.unit().equals(unit)) {
            out.add(at + ".unit: " + sign.display() + " (" + code + ") is compared in '" + sign.unit() + "', not '" + unit + "'.");
        }
        String[] names = {"criticalLow", "low", "high", "criticalHigh"};
        Double[] limits = {criticalLow, low, high, criticalHigh};
        String previous = null;
        Double previousValue = null;
        boolean any = false;
        for (int i = 0; i < limits.length; i++) {
            Double v = limits[i];
            if (v == null) {
                continue;
            }
            any = true;
            if (!Double.isFinite(v) || v < sign.min() || v > sign.max()) {
                out.add(at + "." + names[i] + ": " + v + " " + sign.unit() + " is outside what a " + sign.display().toLowerCase()
                        + " can be (" + sign.min() + "–" + sign.max() + "), so it would never or always fire.");
            }
            if (previousValue != null && !(v > previousValue)) {
                out.add(at + "." + names[i] + ": " + v + " must be above " + previous + " (" + previousValue
                        + "); the bands are inverted or overlap.");
            }
            previous = names[i];
            previousValue = v;
        }
        if (!any) {
            out.add(at + ": no limit is set; give at least one of criticalLow, low, high, criticalHigh.");
        }
        return out;
    }
}
