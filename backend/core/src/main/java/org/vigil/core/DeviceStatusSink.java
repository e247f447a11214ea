package org.vigil.core;

import java.util.List;

/** Keeps each device's last-seen time, battery, signal and firmware current. */
public interface DeviceStatusSink {

    /** Newer facts win; a field a status does not carry keeps its stored value. Unknown devices are ignored. */
    void record(TenantId tenant, List<DeviceStatus> statuses);
}
