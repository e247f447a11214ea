package org.vigil.ehr;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.UUID;

/**
 * A device as the EHR is told about it (a FHIR Device, an OBX-18 equipment identifier).
 *
 * @param kind     the registry's kind: blood-pressure-cuff, scale, glucometer, pulse-oximeter, thermometer, wearable, hub
 * @param reported the identifier the device reported its reading under (serial, IMEI or MAC)
 */
@Serdeable
public record DeviceInfo(UUID deviceId, String kind, String model, @Nullable String serial, @Nullable String imei,
                         @Nullable String mac, String reported) {
}
