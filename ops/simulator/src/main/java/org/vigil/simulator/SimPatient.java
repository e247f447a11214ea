package org.vigil.simulator;

import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

/**
 * A simulated patient with one device of each {@link DeviceKind}, in {@link DeviceKind} order.
 *
 * @param index 0-based position in the fleet; identity (UUID, MRN, device identifiers) derives from it
 */
public record SimPatient(int index, UUID patientId, String displayName, LocalDate birthDate, PatientIdentifier mrn,
                         List<SimDevice> devices) {

    public SimPatient {
        devices = List.copyOf(devices);
    }

    public SimDevice device(DeviceKind kind) {
        return devices.get(kind.ordinal());
    }
}
