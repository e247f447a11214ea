package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.VitalSign;

import java.time.Instant;
import java.util.List;

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

    static void add(ObservationBuilder out, Ieee11073Float spo2, Ieee11073Float pulseRate, @Nullable Instant time,
                    List<String> flags) {
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
