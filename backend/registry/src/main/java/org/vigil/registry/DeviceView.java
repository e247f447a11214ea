package org.vigil.registry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.UUID;

/**
 * A registered device with what it last said about itself.
 *
 * @param lastSeen      when Vigil last received anything from it (a reading or a hub report), to the minute; kept by
 *                      the telemetry writer, so it stands still while ClickHouse is down
 * @param statusAt      when battery, signal and firmware were reported
 * @param assignedSince when its current assignment to a patient began (the device watch counts a device that never
 *                      sent anything as silent from then); null when it is assigned to nobody now
 */
@Serdeable
public record DeviceView(UUID deviceId, String kind, String model, @Nullable String serial, @Nullable String imei,
                         @Nullable String mac, @Nullable Instant lastSeen, @Nullable Double batteryPercent,
                         @Nullable Integer signalDbm, @Nullable String firmware, @Nullable Instant statusAt,
                         @Nullable Instant assignedSince) {
}
