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

    /** Two reports about one device folded into one: the later one's fields win, the earlier one fills its gaps. */
    public static DeviceStatus newer(DeviceStatus a, DeviceStatus b) {
        DeviceStatus later = b.seenAt.isBefore(a.seenAt) ? a : b;
        DeviceStatus earlier = later == a ? b : a;
        return new DeviceStatus(later.device,
                later.batteryPercent != null ? later.batteryPercent : earlier.batteryPercent,
                later.signalDbm != null ? later.signalDbm : earlier.signalDbm,
                later.firmware != null ? later.firmware : earlier.firmware,
                later.seenAt);
    }
}
