package org.vigil.simulator;

import java.util.UUID;

/**
 * A simulated device. Exactly one of serial, imei and mac is set (see {@link DeviceKind#identifierType()});
 * {@link #identifier()} is what the device reports in its readings.
 *
 * @param assignmentId the id of its one assignment to {@link #patientId()}, valid from {@link Fleet#ASSIGNED_FROM}
 */
public record SimDevice(UUID deviceId, DeviceKind kind, String model, String serial, String imei, String mac,
                        UUID patientId, UUID assignmentId) {

    public String identifier() {
        return serial != null ? serial : imei != null ? imei : mac;
    }
}
