package org.vigil.telemetry;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * One stored value. Panel components (systolic 8480-6 of blood pressure 85354-9) carry their panel code and
 * share {@code readingId} (the content hash) with their sibling.
 *
 * @param originalValue the value as the device sent it, in {@code originalUnit} (equal to value/unit when the
 *                      device spoke the canonical unit)
 * @param deviceTime    the device clock's time, before any drift correction ({@code effective} is corrected)
 * @param flags         what the device said about the measurement ({@code irregular-pulse}, {@code time:received}, …)
 */
@Serdeable
public record StoredReading(String code, String panel, double value, String unit, Instant effective,
                            Instant received, String device, String sourceFormat, String readingId,
                            double originalValue, String originalUnit, Instant deviceTime, List<String> flags) {
}
