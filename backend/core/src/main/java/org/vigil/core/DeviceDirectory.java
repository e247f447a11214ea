package org.vigil.core;

import java.time.Instant;
import java.util.Set;

/** Resolves a device identifier to the patient it was assigned to at a given time, within one tenant. */
public interface DeviceDirectory {
    DeviceResolution resolve(TenantId tenant, String deviceIdentifier, Instant at);

    /**
     * Loads what is not yet known about these devices in one round trip, so that a batch from thousands of
     * devices after a restart costs one query instead of one per device.
     */
    void warm(TenantId tenant, Set<String> deviceIdentifiers);

    /**
     * Forgets what is cached about these devices and loads them again: a re-submitted dead letter must see the
     * registry as fixed a moment ago, not as cached before the fix.
     */
    void refresh(TenantId tenant, Set<String> deviceIdentifiers);
}
