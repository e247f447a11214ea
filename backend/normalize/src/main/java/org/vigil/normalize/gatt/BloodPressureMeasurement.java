package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.normalize.PayloadRejected;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Blood Pressure Measurement (0x2A35). Flags: bit 0 unit (0 mmHg, 1 kPa), bit 1 Time Stamp, bit 2 Pulse Rate,
 * bit 3 User ID, bit 4 Measurement Status present; bits 5–7 reserved and ignored.
 *
 * @param userId            255 means an unknown user
 * @param measurementStatus the raw 16-bit status; see {@link Status} and {@link #pulseRateRange()}
 */
public record BloodPressureMeasurement(int flags, boolean kpa, Ieee11073Float systolic, Ieee11073Float diastolic,
                                       Ieee11073Float meanArterialPressure, @Nullable GattDateTime timestamp,
                                       @Nullable Ieee11073Float pulseRate, @Nullable Integer userId,
                                       @Nullable Integer measurementStatus) implements GattMeasurement {

    public static final int KPA = 0x01;
    public static final int TIME_STAMP = 0x02;
    public static final int PULSE_RATE = 0x04;
    public static final int USER_ID = 0x08;
    public static final int MEASUREMENT_STATUS = 0x10;

    /** The single-bit conditions of the Measurement Status field. */
    public enum Status implements StatusBit {
        BODY_MOVEMENT_DETECTED(0, "body-movement"),
        CUFF_TOO_LOOSE(1, "cuff-too-loose"),
        IRREGULAR_PULSE_DETECTED(2, "irregular-pulse"),
        IMPROPER_MEASUREMENT_POSITION(5, "improper-position");

        private final int bit;
        private final String flag;

        Status(int bit, String flag) {
            this.bit = bit;
            this.flag = flag;
        }

        @Override
        public int bit() {
            return bit;
        }

        @Override
        public String flag() {
            return flag;
        }
    }

    /** Measurement Status bits 3–4, in the order of their values 0–3. */
    public enum PulseRateRange {
        WITHIN_RANGE(null), ABOVE_UPPER_LIMIT("pulse-rate:above-range"), BELOW_LOWER_LIMIT("pulse-rate:below-range"),
        RESERVED("pulse-rate:range-reserved");

        @Nullable
        private final String flag;

        PulseRateRange(@Nullable String flag) {
            this.flag = flag;
        }
    }

    @Override
    public Characteristic characteristic() {
        return Characteristic.BLOOD_PRESSURE_MEASUREMENT;
    }

    /** The unit of the three pressures, as {@link org.vigil.normalize.Units} spells it. */
    public String unit() {
        return kpa ? "kPa" : "mmHg";
    }

    @Nullable
    public PulseRateRange pulseRateRange() {
        return measurementStatus == null ? null : PulseRateRange.values()[measurementStatus >> 3 & 0x3];
    }

    public boolean has(Status status) {
        return measurementStatus != null && status.in(measurementStatus);
    }

    static BloodPressureMeasurement read(GattReader r) throws PayloadRejected {
        int flags = r.flags();
        Ieee11073Float systolic = r.sfloat("Systolic");
        Ieee11073Float diastolic = r.sfloat("Diastolic");
        Ieee11073Float map = r.sfloat("Mean Arterial Pressure");
        GattDateTime timestamp = (flags & TIME_STAMP) != 0 ? r.dateTime("Time Stamp") : null;
        Ieee11073Float pulse = (flags & PULSE_RATE) != 0 ? r.sfloat("Pulse Rate") : null;
        Integer user = (flags & USER_ID) != 0 ? r.u8("User ID") : null;
        Integer status = (flags & MEASUREMENT_STATUS) != 0 ? r.u16("Measurement Status") : null;
        r.end();
        return new BloodPressureMeasurement(flags, (flags & KPA) != 0, systolic, diastolic, map, timestamp, pulse,
                user, status);
    }

    /** The pressures as one panel (mean arterial pressure when it is a number), the pulse rate as its own reading. */
    void observe(ObservationBuilder out) {
        Instant time = out.time(timestamp);
        List<String> flags = readingFlags();
        Double sys = out.number(systolic, "Systolic");
        Double dia = out.number(diastolic, "Diastolic");
        // Many cuffs do not compute a mean and send NaN there, as the spec allows: that is not a broken reading.
        boolean noMean = meanArterialPressure.special() == Ieee11073Float.Special.NAN;
        Double mean = noMean ? null : out.number(meanArterialPressure, "Mean Arterial Pressure");
        if (noMean) {
            flags.add("mean-pressure:not-computed");
        }
        if (sys != null && dia != null) {
            List<Measurement> components = new ArrayList<>(3);
            components.add(new Measurement(VitalSign.SYSTOLIC_BP.code(), sys, unit()));
            components.add(new Measurement(VitalSign.DIASTOLIC_BP.code(), dia, unit()));
            if (mean != null) {
                components.add(new Measurement(VitalSign.MEAN_BP.code(), mean, unit()));
            }
            out.add(VitalSign.BLOOD_PRESSURE, components, time, flags, systolic.offset());
        }
        if (pulseRate != null) {
            Double pulse = out.number(pulseRate, "Pulse Rate");
            if (pulse != null) {
                out.add(VitalSign.HEART_RATE, pulse, "/min", time, flags, pulseRate.offset());
            }
        }
    }

    private List<String> readingFlags() {
        List<String> flags = new ArrayList<>(4);
        if (timestamp != null && !timestamp.isKnown()) {
            flags.add("device-time:unknown");
        }
        if (userId != null) {
            flags.add(userId == 255 ? "user:unknown" : "user:" + userId);
        }
        if (measurementStatus != null) {
            flags.addAll(StatusBit.flags(Status.values(), measurementStatus));
            String range = pulseRateRange().flag;
            if (range != null) {
                flags.add(range);
            }
        }
        return flags;
    }
}
