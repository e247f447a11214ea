package org.vigil.telemetry;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One stored value. Panel components (systolic 8480-6 of blood pressure 85354-9) carry their panel code and
 * share {@code readingId} (the content hash) with their sibling.
 */
@Serdeable
public record StoredReading(String code, String panel, double value, String unit, Instant effective,
                            Instant received, String device, String sourceFormat, String readingId) {
}
