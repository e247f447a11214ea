package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.normalize.PayloadRejected;

import java.util.ArrayList;
import java.util.List;

/**
 * PLX Continuous Measurement (0x2A5F). Flags: bit 0 SpO2PR-Fast, bit 1 SpO2PR-Slow, bit 2 Measurement Status,
 * bit 3 Device and Sensor Status, bit 4 Pulse Amplitude Index present; bits 5–7 reserved and ignored. It has no
 * timestamp: the reading is as of when it was received. Only the normal SpO2 and PR become readings; the fast and
 * slow ones are the same measurement averaged differently.
 */
public record PlxContinuousMeasurement(int flags, Ieee11073Float spo2, Ieee11073Float pulseRate,
                                       @Nullable Ieee11073Float spo2Fast, @Nullable Ieee11073Float pulseRateFast,
                                       @Nullable Ieee11073Float spo2Slow, @Nullable Ieee11073Float pulseRateSlow,
                                       @Nullable Integer measurementStatus, @Nullable Integer deviceAndSensorStatus,
                                       @Nullable Ieee11073Float pulseAmplitudeIndex) implements GattMeasurement {

    public static final int FAST = 0x01;
    public static final int SLOW = 0x02;
    public static final int MEASUREMENT_STATUS = 0x04;
    public static final int DEVICE_AND_SENSOR_STATUS = 0x08;
    public static final int PULSE_AMPLITUDE_INDEX = 0x10;

    @Override
    public Characteristic characteristic() {
        return Characteristic.PLX_CONTINUOUS_MEASUREMENT;
    }

    static PlxContinuousMeasurement read(GattReader r) throws PayloadRejected {
        int flags = r.flags();
        Ieee11073Float spo2 = r.sfloat("SpO2");
        Ieee11073Float pr = r.sfloat("PR");
        boolean fast = (flags & FAST) != 0;
        Ieee11073Float spo2Fast = fast ? r.sfloat("SpO2 Fast") : null;
        Ieee11073Float prFast = fast ? r.sfloat("PR Fast") : null;
        boolean slow = (flags & SLOW) != 0;
        Ieee11073Float spo2Slow = slow ? r.sfloat("SpO2 Slow") : null;
        Ieee11073Float prSlow = slow ? r.sfloat("PR Slow") : null;
        Integer status = (flags & MEASUREMENT_STATUS) != 0 ? r.u16("Measurement Status") : null;
        Integer device = (flags & DEVICE_AND_SENSOR_STATUS) != 0 ? r.u24("Device and Sensor Status") : null;
        Ieee11073Float pai = (flags & PULSE_AMPLITUDE_INDEX) != 0 ? r.sfloat("Pulse Amplitude Index") : null;
        r.end();
        return new PlxContinuousMeasurement(flags, spo2, pr, spo2Fast, prFast, spo2Slow, prSlow, status, device, pai);
    }

    void observe(ObservationBuilder out) {
        List<String> flags = new ArrayList<>(4);
        PlxObservations.statusFlags(flags, measurementStatus, deviceAndSensorStatus, pulseAmplitudeIndex);
        PlxObservations.add(out, spo2, pulseRate, out.time(null), flags);
    }
}
