package org.vigil.core;

import java.util.UUID;

/** Who a device reading belongs to, or why it belongs to nobody. */
public sealed interface DeviceResolution {
    record Assigned(UUID deviceId, UUID patientId) implements DeviceResolution {
    }

    record UnknownDevice() implements DeviceResolution {
    }

    record Unassigned(UUID deviceId) implements DeviceResolution {
    }
}
