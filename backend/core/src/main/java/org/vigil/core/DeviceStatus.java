package org.vigil.core;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * What a hub said about itself. Any field it did not report is null and leaves the stored value alone.
 *
 * @param device         the hub's identifier (serial or IMEI)
 * @param batteryPercent 0–100
 * @param signalDbm      received signal strength, dBm (negative)
 * @param seenAt         when Vigil received the message
 */
public record DeviceStatus(String device, @Nullable Double batteryPercent, @Nullable Integer signalDbm,
                           @Nullable String firmware, Instant seenAt) {
}
