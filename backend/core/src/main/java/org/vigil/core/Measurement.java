package org.vigil.core;

import io.micronaut.serde.annotation.Serdeable;

/** One measured quantity: a LOINC code, a value and its UCUM unit. */
@Serdeable
public record Measurement(String code, double value, String unit) {
}
