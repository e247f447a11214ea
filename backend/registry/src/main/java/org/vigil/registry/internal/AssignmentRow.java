package org.vigil.registry.internal;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * One assignment period of a device, with the device's identifiers; patientId is null for a registered device that
 * was never assigned.
 */
@Introspected
public record AssignmentRow(UUID deviceId, @Nullable String serial, @Nullable String imei, @Nullable String mac,
                            @Nullable UUID patientId, @Nullable Instant validFrom, @Nullable Instant validTo) {

    /** The device's serial, IMEI and MAC, those it has. */
    public List<String> identifiers() {
        return Stream.of(serial, imei, mac).filter(Objects::nonNull).toList();
    }

    /** Ranges are half-open [from, to), as PostgreSQL's default tstzrange; null bounds are infinite. */
    public boolean covers(Instant t) {
        return patientId != null && (validFrom == null || !t.isBefore(validFrom)) && (validTo == null || t.isBefore(validTo));
    }
}
