package org.vigil.ui.format;

import org.vigil.core.Units;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;

/** Measured values with their units as clinicians write them ("142 mmHg", "96 %", "37.8 °C"). */
public final class Values {
    /** Common LOINC codes in words; anything else shows its code. */
    private static final Map<String, String> NAMES = Map.ofEntries(
            Map.entry("85354-9", "Blood pressure"), Map.entry("8480-6", "Systolic"), Map.entry("8462-4", "Diastolic"),
            Map.entry("8867-4", "Heart rate"), Map.entry("59408-5", "SpO₂"), Map.entry("2708-6", "SpO₂"),
            Map.entry("29463-7", "Weight"), Map.entry("8310-5", "Temperature"), Map.entry("2339-0", "Glucose"),
            Map.entry("41653-7", "Glucose"), Map.entry("15074-8", "Glucose"), Map.entry("9279-1", "Respiratory rate"),
            Map.entry("55423-8", "Steps"));

    private Values() {
    }

    public static String unit(String ucum) {
        return Units.symbol(ucum);
    }

    public static String name(String loinc) {
        return loinc == null ? "" : NAMES.getOrDefault(loinc, loinc);
    }

    /** At most one decimal, none when the value is whole. */
    public static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        BigDecimal d = BigDecimal.valueOf(v).setScale(1, RoundingMode.HALF_UP).stripTrailingZeros();
        return d.scale() <= 0 ? d.setScale(0, RoundingMode.UNNECESSARY).toPlainString() : d.toPlainString();
    }

    public static String withUnit(Double v, String ucum) {
        if (v == null) {
            return "–";
        }
        String u = unit(ucum);
        return number(v) + (u.isEmpty() ? "" : (u.equals("%") ? " %" : " " + u));
    }
}
