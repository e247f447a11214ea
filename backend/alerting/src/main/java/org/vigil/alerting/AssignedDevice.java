package org.vigil.alerting;

import java.time.Instant;

/**
 * A device assigned to a patient now, as the device watch sees it.
 *
 * @param label what people call it in an alert, e.g. "scale SC-1042"
 * @param since when the assignment began: a device that never sent anything is silent since then
 */
public record AssignedDevice(String label, Instant since) {
}
