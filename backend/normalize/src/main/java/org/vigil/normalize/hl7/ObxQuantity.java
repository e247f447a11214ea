package org.vigil.normalize.hl7;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.normalize.Problem;
import org.vigil.normalize.Units;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The value (OBX-5) and unit (OBX-6) of a numeric OBX as a measurement in the device's terms: the unit as an MDC
 * dimension code or reference id (mapped to UCUM), as UCUM, or as the sender's own spelling when {@link Units}
 * knows it. Checking the unit here, rather than leaving it to the normalizer, lets the problem point at OBX-6.
 */
final class ObxQuantity {
    private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d{1,15}(\\.\\d{0,15})?|\\.\\d{1,15})");

    private ObxQuantity() {
    }

    /** The measurement, or null after adding the reason to {@code problems}. */
    @Nullable
    static Measurement read(ObxRow row, VitalSign sign, List<Problem> problems) {
        Double value = number(row, problems);
        if (value == null) {
            return null;
        }
        String unit = unit(row, sign, problems);
        return unit == null ? null : new Measurement(sign.code(), value, unit);
    }

    @Nullable
    private static Double number(ObxRow row, List<Problem> problems) {
        List<String> v = row.value();
        String text;
        if (row.valueType().equals("SN")) {
            // SN: comparator ^ num1 ^ separator/suffix ^ num2; only a plain "^120" (or "=^120") is an exact value
            String comparator = v.isEmpty() ? "" : v.get(0);
            String separator = v.size() > 2 ? v.get(2) : "";
            if (!comparator.isEmpty() && !comparator.equals("=") || !separator.isEmpty()) {
                problems.add(new Problem(ErrorCode.NOT_A_NUMBER, "OBX-5 is the structured numeric '"
                        + String.join("^", v).replaceAll("\\^+$", "") + "' for " + row.code() + ", not an exact value.",
                        row.at(5).toString()));
                return null;
            }
            text = v.size() > 1 ? v.get(1) : "";
        } else {
            text = v.isEmpty() ? "" : v.get(0);
        }
        if (!NUMBER.matcher(text).matches()) {
            problems.add(new Problem(ErrorCode.NOT_A_NUMBER, "OBX-5 '" + text + "' for " + row.code() + " is not a number.",
                    row.at(5).toString()));
            return null;
        }
        return Double.parseDouble(text);
    }

    @Nullable
    private static String unit(ObxRow row, VitalSign sign, List<Problem> problems) {
        ObxRow.Coding u = row.unit();
        String system = u.system().toUpperCase(Locale.ROOT);
        String unit;
        if (u.id().isEmpty() && u.text().isEmpty()) {
            problems.add(new Problem(ErrorCode.UNSUPPORTED_UNIT, "OBX-6 (units) is empty for " + row.code() + ".",
                    row.at(6).toString()));
            return null;
        } else if (system.equals("UCUM")) {
            unit = u.id().isEmpty() ? u.text() : u.id();
        } else if (system.equals("MDC") || isDigits(u.id()) || u.id().startsWith("MDC_DIM")) {
            unit = mdcUnit(u);
            if (unit == null) {
                problems.add(new Problem(ErrorCode.UNSUPPORTED_UNIT, "OBX-6 unit " + u + " for " + row.code()
                        + " is not an MDC unit Vigil knows.", row.at(6).toString()));
                return null;
            }
        } else {
            unit = u.id().isEmpty() ? u.text() : u.id();
        }
        if (Units.toCanonical(sign, 0, unit).isEmpty()) {
            problems.add(new Problem(ErrorCode.UNSUPPORTED_UNIT, "OBX-6 unit '" + unit + "' for " + row.code()
                    + " cannot be converted to " + sign.display() + "'s UCUM unit '" + sign.unit() + "'.", row.at(6).toString()));
            return null;
        }
        return unit;
    }

    @Nullable
    private static String mdcUnit(ObxRow.Coding u) {
        if (isDigits(u.id()) && u.id().length() <= 9) {
            return MdcUnits.byCode(Integer.parseInt(u.id())).orElse(null);
        }
        return MdcUnits.byRefId(u.id().startsWith("MDC_") ? u.id() : u.text()).orElse(null);
    }

    private static boolean isDigits(String s) {
        return !s.isEmpty() && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }
}
