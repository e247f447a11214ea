package org.vigil.ehr.fhir;

import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.SummaryItem;

import java.util.List;
import java.util.function.Function;

/**
 * What an item must look like to be rendered, checked the same way for FHIR and HL7 (used by
 * {@code org.vigil.ehr.hl7} too): a Vigil vital sign, and measurements that fit it. Only codes Vigil accepted reach
 * the outbox, so a failure here is a bug upstream, reported with what was wrong rather than sent.
 */
public final class ItemShape {

    private ItemShape() {
    }

    public static VitalSign vital(String code) {
        return VitalSign.byCode(code).orElseThrow(() ->
                new IllegalArgumentException("LOINC " + code + " is not a vital sign Vigil renders for an EHR."));
    }

    /** A reading's measurements: one of its own code, or components of its panel. */
    public static List<Measurement> measurements(ObservationItem item) {
        return fitting(vital(item.code()), item.measurements(), Measurement::code);
    }

    /** A summarised vital's statistics, by the same rule. */
    public static List<SummaryItem.Stat> statistics(SummaryItem.VitalStats v) {
        return fitting(vital(v.code()), v.components(), SummaryItem.Stat::code);
    }

    /**
     * A panel's required components are not checked: a panel missing one is still the truth, and the EHR's
     * validation is the place that rejects it.
     */
    private static <T> List<T> fitting(VitalSign vital, List<T> values, Function<T, String> code) {
        boolean fits = vital.isPanel()
                ? !values.isEmpty() && values.stream().map(code).allMatch(vital.components()::contains)
                : values.size() == 1 && code.apply(values.get(0)).equals(vital.code());
        if (!fits) {
            throw new IllegalArgumentException(vital.code() + " (" + vital.display() + ") "
                    + (vital.isPanel() ? "has components " + vital.components() : "has one value of its own code")
                    + "; this one has " + values.stream().map(code).toList() + ".");
        }
        return values;
    }
}
