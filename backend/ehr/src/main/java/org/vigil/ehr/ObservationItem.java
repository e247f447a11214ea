package org.vigil.ehr;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import org.vigil.core.Measurement;

import java.time.Instant;
import java.util.List;
import java.util.Map;
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
 * @param interpretation how the reading compares with the patient's thresholds (a panel: its worst component, or
 *                       abnormal when a trend raised an alert); null when no threshold applies
 * @param alert          the alert the reading raised, for readings sent because they raised one
 * @param components     a panel's components each against its own band, by component code, so a high systolic
 *                       does not flag the diastolic too; empty for a single value (items queued before this existed
 *                       have none, and their panel's interpretation stands for every component)
 */
@Serdeable
public record ObservationItem(String code, List<Measurement> measurements, Instant effective, Instant received,
                              DeviceInfo device, String contentHash, @Nullable List<String> flags,
                              @Nullable Interpretation interpretation, @Nullable AlertNote alert,
                              @Nullable Map<String, Interpretation> components) {

    public ObservationItem {
        measurements = List.copyOf(measurements);
        // Stored as JSON: a mapper that leaves empty collections out must not make the item unreadable.
        flags = flags == null ? List.of() : List.copyOf(flags);
        components = components == null ? Map.of() : Map.copyOf(components);
    }

    /** How one measurement of this reading compares with its band; null when none applies. */
    @Nullable
    public Interpretation interpretationOf(String measurementCode) {
        if (components.isEmpty()) {
            return interpretation;   // a single value, or a panel queued before components were judged one by one
        }
        Interpretation own = components.get(measurementCode);
        if (interpretation == Interpretation.ABNORMAL && (own == null || own == Interpretation.NORMAL)) {
            return interpretation;   // a trend over the panel raised an alert: no component is out of its band
        }
        return own;
    }

    /** The alert behind an abnormal-flagged result. */
    @Serdeable
    public record AlertNote(UUID alertId, String severity, String rule, String summary) {
    }
}
