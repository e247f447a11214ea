package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.normalize.PayloadRejected;

import java.util.ArrayList;
import java.util.List;

/**
 * PLX Spot-Check Measurement (0x2A5E). Flags: bit 0 Timestamp, bit 1 Measurement Status, bit 2 Device and Sensor
 * Status, bit 3 Pulse Amplitude Index present, bit 4 Device Clock is Not Set; bits 5–7 reserved and ignored.
 *
 * @param measurementStatus     raw 16 bits; see {@link PlxMeasurementStatus}
 * @param deviceAndSensorStatus raw 24 bits; see {@link PlxDeviceAndSensorStatus}
 */
public record PlxSpotCheckMeasurement(int flags, Ieee11073Float spo2, Ieee11073Float pulseRate,
                                      @Nullable GattDateTime timestamp, @Nullable Integer measurementStatus,
                                      @Nullable Integer deviceAndSensorStatus,
                                      @Nullable Ieee11073Float pulseAmplitudeIndex) implements GattMeasurement {

    public static final int TIMESTAMP = 0x01;
    public static final int MEASUREMENT_STATUS = 0x02;
    public static final int DEVICE_AND_SENSOR_STATUS = 0x04;
    public static final int PULSE_AMPLITUDE_INDEX = 0x08;
    public static final int DEVICE_CLOCK_NOT_SET = 0x10;

    @Override
    public Characteristic characteristic() {
        return Characteristic.PLX_SPOT_CHECK_MEASUREMENT;
    }

    public boolean deviceClockNotSet() {
        return (flags & DEVICE_CLOCK_NOT_SET) != 0;
    }

    static PlxSpotCheckMeasurement read(GattReader r) throws PayloadRejected {
        int flags = r.flags();
        Ieee11073Float spo2 = r.sfloat("SpO2");
        Ieee11073Float pr = r.sfloat("PR");
        GattDateTime timestamp = (flags & TIMESTAMP) != 0 ? r.dateTime("Timestamp") : null;
        Integer status = (flags & MEASUREMENT_STATUS) != 0 ? r.u16("Measurement Status") : null;
        Integer device = (flags & DEVICE_AND_SENSOR_STATUS) != 0 ? r.u24("Device and Sensor Status") : null;
        Ieee11073Float pai = (flags & PULSE_AMPLITUDE_INDEX) != 0 ? r.sfloat("Pulse Amplitude Index") : null;
        r.end();
        return new PlxSpotCheckMeasurement(flags, spo2, pr, timestamp, status, device, pai);
    }

    void observe(ObservationBuilder out) {
        List<String> flags = new ArrayList<>(4);
        // a clock that was never set gives a timestamp, but not the time of the measurement
        boolean timeKnown = timestamp != null && timestamp.isKnown() && !deviceClockNotSet();
        if (deviceClockNotSet()) {
            flags.add("device-clock-not-set");
        } else if (timestamp != null && !timestamp.isKnown()) {
            flags.add("device-time:unknown");
        }
        PlxObservations.statusFlags(flags, measurementStatus, deviceAndSensorStatus, pulseAmplitudeIndex);
        PlxObservations.add(out, spo2, pulseRate, out.time(timeKnown ? timestamp : null), flags);
    }
}
