package org.vigil.ehr;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.vigil.core.Measurement;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * One reading as it is to be sent: what the outbox keeps (as JSON) and both transports render, a FHIR vital-signs
 * Observation or an ORU^R01 OBR/OBX group. It carries no patient identity: the patient is resolved per endpoint
 * when the item is sent, so a fixed identifier or a new consent applies to items already waiting.
 *
 * @param code           the LOINC code of the reading (the panel's code for blood pressure, 85354-9)
 * @param measurements   one per component; a single-value reading has one whose code equals {@code code}
 * @param device         the device that took it
 * @param contentHash    the reading's content hash: its deterministic identity at every EHR
 * @param flags          the device's own annotations ({@code irregular-pulse}, {@code statistic:maximum} …)
 * @param interpretation how the value compares with the patient's thresholds; null when no threshold applies
 * @param alert          the alert the reading raised, for readings sent because they raised one
 */
@Serdeable
public record ObservationItem(String code, List<Measurement> measurements, Instant effective, Instant received,
                              DeviceInfo device, String contentHash, List<String> flags,
                              @Nullable Interpretation interpretation, @Nullable AlertNote alert) {

    public ObservationItem {
        measurements = List.copyOf(measurements);
        flags = List.copyOf(flags);
    }

    /** The alert behind an abnormal-flagged result. */
    @Serdeable
    public record AlertNote(UUID alertId, String severity, String rule, String summary) {
    }
}
