package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * When Vigil last heard from a device (a reading or a hub's report, by the time it was received: a device that
 * uploads last week's readings is alive today) and the last battery level it reported.
 */
public record DeviceHeard(Instant at, @Nullable Double batteryPercent) {

    /** A later report wins; one that leaves the battery out keeps the known level. */
    DeviceHeard and(Instant when, @Nullable Double battery) {
        if (when.isBefore(at)) {
            return batteryPercent == null && battery != null ? new DeviceHeard(at, battery) : this;
        }
        return new DeviceHeard(when, battery != null ? battery : batteryPercent);
    }
}
