package org.vigil.ehr.fhir;

import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.ehr.DeviceInfo;
import org.vigil.ehr.Interpretation;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.PatientIdentity;
import org.vigil.ehr.SummaryItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Outbox items as the producer would write them, one per vital sign, with plausible values. */
public final class Items {
    public static final Instant EFFECTIVE = Instant.parse("2025-03-04T07:15:30Z");
    public static final Instant RECEIVED = Instant.parse("2025-03-04T07:16:02.250Z");
    public static final UUID PATIENT = UUID.fromString("6f1c2e4a-9b7d-4c1e-8a3f-2d5b6c7e8f90");
    public static final DeviceInfo CUFF = new DeviceInfo(UUID.fromString("0b7e2d1c-3a4f-4e5d-9c8b-7a6f5e4d3c2b"),
            "blood-pressure-cuff", "UA-651BLE", "5180400664", null, "a0:b1:c2:d3:e4:f5", "5180400664");
    public static final PatientIdentity JANE = new PatientIdentity(PATIENT, "urn:oid:1.2.3.4.5", "MRN-00042",
            "Jane Q. Doe", LocalDate.of(1952, 11, 3));

    private static final Map<VitalSign, Double> VALUES = Map.ofEntries(
            Map.entry(VitalSign.SYSTOLIC_BP, 128.0), Map.entry(VitalSign.DIASTOLIC_BP, 82.0),
            Map.entry(VitalSign.MEAN_BP, 97.0), Map.entry(VitalSign.HEART_RATE, 72.0),
            Map.entry(VitalSign.BODY_WEIGHT, 81.4), Map.entry(VitalSign.OXYGEN_SATURATION, 96.0),
            Map.entry(VitalSign.GLUCOSE, 104.0), Map.entry(VitalSign.BODY_TEMPERATURE, 36.8),
            Map.entry(VitalSign.BODY_HEIGHT, 172.0), Map.entry(VitalSign.BMI, 27.5),
            Map.entry(VitalSign.RESPIRATORY_RATE, 16.0), Map.entry(VitalSign.STEPS, 8042.0));

    private Items() {
    }

    /**
     * A file of the outside corpus (ops/corpus, the vendored copy of ../shared/corpus). Missing is an error, never
     * a skip: a test that cannot see its oracle must not pass.
     */
    public static Path corpus(String file) {
        // Maven sets vigil.corpus; the fallback serves a run from the module directory.
        Path path = Path.of(System.getProperty("vigil.corpus", "../../ops/corpus")).resolve(file).toAbsolutePath().normalize();
        if (!Files.exists(path)) {
            throw new IllegalStateException("The corpus file " + path + " is missing.");
        }
        return path;
    }

    public static List<Measurement> measurements(VitalSign v) {
        if (v.isPanel()) {
            return v.components().stream().map(c -> measurement(VitalSign.byCode(c).orElseThrow())).toList();
        }
        return List.of(measurement(v));
    }

    public static Measurement measurement(VitalSign v) {
        return new Measurement(v.code(), VALUES.get(v), v.unit());
    }

    public static ObservationItem reading(VitalSign v) {
        return reading(v.code(), measurements(v), List.of(), null, null);
    }

    public static ObservationItem reading(String code, List<Measurement> measurements, List<String> flags,
                                          Interpretation interpretation, ObservationItem.AlertNote alert) {
        return new ObservationItem(code, measurements, EFFECTIVE, RECEIVED, CUFF, "hash-" + code, flags,
                interpretation, alert, null);
    }

    /** A blood pressure whose systolic and diastolic were judged against their own bands. */
    public static ObservationItem bloodPressure(Interpretation panel, Interpretation systolic, Interpretation diastolic) {
        return new ObservationItem("85354-9", measurements(VitalSign.BLOOD_PRESSURE), EFFECTIVE, RECEIVED, CUFF, "hash-bp",
                List.of(), panel, alert("Systolic 182 above 160"), java.util.Map.of("8480-6", systolic, "8462-4", diastolic));
    }

    public static ObservationItem.AlertNote alert(String summary) {
        return new ObservationItem.AlertNote(UUID.fromString("11111111-2222-3333-4444-555555555555"), "high",
                "bp-above-threshold", summary);
    }

    /** A daily summary of every single-value vital sign and the blood-pressure panel. */
    public static SummaryItem summary() {
        List<SummaryItem.VitalStats> vitals = java.util.Arrays.stream(VitalSign.values())
                .filter(v -> v.isPanel() || !VitalSign.BLOOD_PRESSURE.components().contains(v.code()))
                .map(v -> new SummaryItem.VitalStats(v.code(), measurements(v).stream()
                        .map(m -> new SummaryItem.Stat(m.code(), m.unit(), 12, m.value() * 0.9, m.value() * 1.1,
                                m.value() * 1.0123))
                        .toList()))
                .toList();
        return new SummaryItem("daily", Instant.parse("2025-03-03T00:00:00Z"), Instant.parse("2025-03-04T00:00:00Z"),
                vitals);
    }
}
