package org.vigil.core;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One measured quantity: a LOINC code, a value and its UCUM unit. When the edge converted the value (a scale
 * reporting pounds, a thermometer reporting °F), the device's own value and unit are kept next to it; they are
 * null when the device already spoke the canonical unit.
 */
@Serdeable
public record Measurement(String code, double value, String unit,
                          @Nullable Double originalValue, @Nullable String originalUnit) {

    public Measurement(String code, double value, String unit) {
        this(code, value, unit, null, null);
    }

    /** The value as the device reported it. */
    public double reportedValue() {
        return originalValue == null ? value : originalValue;
    }

    /** The unit as the device reported it. */
    public String reportedUnit() {
        return originalUnit == null ? unit : originalUnit;
    }
}
