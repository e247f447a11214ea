package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.VitalSign;
import org.vigil.normalize.PayloadRejected;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Heart Rate Measurement (0x2A37). Flags: bit 0 value format (0 uint8, 1 uint16), bits 1–2 Sensor Contact Status,
 * bit 3 Energy Expended present (uint16, kJ), bit 4 RR-Intervals present (the rest of the value, uint16 each, in
 * 1/1024 s); bits 5–7 reserved and ignored. It has no timestamp: the reading is as of when it was received.
 *
 * @param rrIntervals in 1/1024 s, as sent
 */
public record HeartRateMeasurement(int flags, int heartRate, SensorContact sensorContact,
                                   @Nullable Integer energyExpended, List<Integer> rrIntervals)
        implements GattMeasurement {

    public static final int UINT16 = 0x01;
    public static final int CONTACT_DETECTED = 0x02;
    public static final int CONTACT_SUPPORTED = 0x04;
    public static final int ENERGY_EXPENDED = 0x08;
    public static final int RR_INTERVALS = 0x10;

    /** Flags bits 1–2: bit 2 says the sensor can tell, bit 1 that it touches the skin. */
    public enum SensorContact {
        NOT_SUPPORTED, NOT_DETECTED, DETECTED
    }

    public HeartRateMeasurement {
        rrIntervals = List.copyOf(rrIntervals);
    }

    @Override
    public Characteristic characteristic() {
        return Characteristic.HEART_RATE_MEASUREMENT;
    }

    /** The RR intervals in whole milliseconds. */
    public List<Long> rrMillis() {
        return rrIntervals.stream().map(rr -> Math.round(rr * 1000.0 / 1024)).toList();
    }

    static HeartRateMeasurement read(GattReader r) throws PayloadRejected {
        int flags = r.flags();
        int rate = (flags & UINT16) != 0 ? r.u16("Heart Rate Measurement Value (uint16)")
                : r.u8("Heart Rate Measurement Value (uint8)");
        SensorContact contact = (flags & CONTACT_SUPPORTED) == 0 ? SensorContact.NOT_SUPPORTED
                : (flags & CONTACT_DETECTED) != 0 ? SensorContact.DETECTED : SensorContact.NOT_DETECTED;
        Integer energy = (flags & ENERGY_EXPENDED) != 0 ? r.u16("Energy Expended") : null;
        List<Integer> rr = new ArrayList<>();
        if ((flags & RR_INTERVALS) != 0) {
            // RR-Intervals fill the rest of the value; the flag promises at least one
            do {
                rr.add(r.u16("RR-Interval"));
            } while (r.remaining() > 0);
        }
        r.end();
        return new HeartRateMeasurement(flags, rate, contact, energy, rr);
    }

    void observe(ObservationBuilder out) {
        List<String> flags = new ArrayList<>(3);
        if (sensorContact == SensorContact.DETECTED) {
            flags.add("sensor-contact:detected");
        } else if (sensorContact == SensorContact.NOT_DETECTED) {
            flags.add("sensor-contact:not-detected");
        }
        if (energyExpended != null) {
            flags.add("energy-kj:" + energyExpended);
        }
        if (!rrIntervals.isEmpty()) {
            flags.add("rr-ms:" + rrMillis().stream().map(String::valueOf).collect(Collectors.joining(",")));
        }
        out.add(VitalSign.HEART_RATE, heartRate, "/min", out.time(null), flags, 1);
    }
}
