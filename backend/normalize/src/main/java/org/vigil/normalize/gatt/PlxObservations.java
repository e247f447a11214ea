package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.core.VitalSign;

import java.time.Instant;
import java.util.List;
import java.util.Set;

/** What the two PLX characteristics share: SpO2 and pulse rate as readings, the status fields as their flags. */
final class PlxObservations {
    private PlxObservations() {
    }

    static void statusFlags(List<String> flags, @Nullable Integer measurementStatus,
                            @Nullable Integer deviceAndSensorStatus, @Nullable Ieee11073Float pulseAmplitudeIndex) {
        if (measurementStatus != null) {
            flags.addAll(StatusBit.flags(PlxMeasurementStatus.values(), measurementStatus));
        }
        if (deviceAndSensorStatus != null) {
            flags.addAll(StatusBit.flags(PlxDeviceAndSensorStatus.values(), deviceAndSensorStatus));
        }
        if (pulseAmplitudeIndex != null) {
            // an index, not a reading Vigil stores: a special value here is kept as what the device said
            flags.add("pai:" + pulseAmplitudeIndex.decimal());
        }
    }

    /** Status bits that say the values are not the patient's: they are refused, not stored with a flag. */
    private static final Set<String> NOT_THE_PATIENTS = Set.of(PlxMeasurementStatus.DATA_FOR_DEMONSTRATION.flag(),
            PlxMeasurementStatus.DATA_FOR_TESTING.flag(), PlxMeasurementStatus.INVALID_MEASUREMENT_DETECTED.flag());

    static void add(ObservationBuilder out, Ieee11073Float spo2, Ieee11073Float pulseRate, @Nullable Instant time,
                    List<String> flags) {
        List<String> notThePatients = flags.stream().filter(NOT_THE_PATIENTS::contains).toList();
        if (!notThePatients.isEmpty()) {
            out.problem(ErrorCode.INVALID_READING, "the oximeter marked this measurement " + String.join(", ", notThePatients)
                    + ": it is not the patient's, so it is not stored.", null);
            return;
        }
        Double saturation = out.number(spo2, "SpO2");
        if (saturation != null) {
            out.add(VitalSign.OXYGEN_SATURATION, saturation, "%", time, flags, spo2.offset());
        }
        Double pulse = out.number(pulseRate, "PR");
        if (pulse != null) {
            out.add(VitalSign.HEART_RATE, pulse, "/min", time, flags, pulseRate.offset());
        }
    }
}
