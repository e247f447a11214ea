package org.vigil.core;

import java.time.Instant;

/** Resolves a device identifier to the patient it was assigned to at a given time, within one tenant. */
public interface DeviceDirectory {
    DeviceResolution resolve(TenantId tenant, String deviceIdentifier, Instant at);
}
