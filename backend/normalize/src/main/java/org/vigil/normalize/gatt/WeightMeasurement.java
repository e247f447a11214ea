package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.core.VitalSign;
import org.vigil.normalize.PayloadRejected;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Weight Measurement (0x2A9D). Flags: bit 0 units (0 SI: kg and m; 1 imperial: lb and in), bit 1 Time Stamp,
 * bit 2 User ID, bit 3 BMI and Height present (together); bits 4–7 reserved and ignored. Weight is a uint16 in
 * 0.005 kg or 0.01 lb; BMI a uint16 in 0.1 kg/m²; Height a uint16 in 0.001 m or 0.1 in.
 *
 * @param weight NaN when the scale sent 0xFFFF, "measurement unsuccessful"
 * @param userId 255 means an unknown user
 */
public record WeightMeasurement(int flags, boolean imperial, double weight, @Nullable GattDateTime timestamp,
                                @Nullable Integer userId, @Nullable Double bmi, @Nullable Double height)
        implements GattMeasurement {

    public static final int IMPERIAL = 0x01;
    public static final int TIME_STAMP = 0x02;
    public static final int USER_ID = 0x04;
    public static final int BMI_AND_HEIGHT = 0x08;
    static final int UNSUCCESSFUL = 0xFFFF;

    @Override
    public Characteristic characteristic() {
        return Characteristic.WEIGHT_MEASUREMENT;
    }

    public String weightUnit() {
        return imperial ? "lb" : "kg";
    }

    public String heightUnit() {
        return imperial ? "in" : "m";
    }

    public boolean unsuccessful() {
        return Double.isNaN(weight);
    }

    static WeightMeasurement read(GattReader r) throws PayloadRejected {
        int flags = r.flags();
        boolean imperial = (flags & IMPERIAL) != 0;
        int raw = r.u16("Weight");
        // divide by the exact reciprocal of the resolution: 14000 / 200 is exactly 70.0, 14000 × 0.005 need not be
        double weight = raw == UNSUCCESSFUL ? Double.NaN : imperial ? raw / 100.0 : raw / 200.0;
        GattDateTime timestamp = (flags & TIME_STAMP) != 0 ? r.dateTime("Time Stamp") : null;
        Integer user = (flags & USER_ID) != 0 ? r.u8("User ID") : null;
        Double bmi = null;
        Double height = null;
        if ((flags & BMI_AND_HEIGHT) != 0) {
            bmi = r.u16("BMI") / 10.0;
            height = imperial ? r.u16("Height") / 10.0 : r.u16("Height") / 1000.0;
        }
        r.end();
        return new WeightMeasurement(flags, imperial, weight, timestamp, user, bmi, height);
    }

    void observe(ObservationBuilder out) {
        Instant time = out.time(timestamp);
        List<String> flags = new ArrayList<>(2);
        if (timestamp != null && !timestamp.isKnown()) {
            flags.add("device-time:unknown");
        }
        if (userId != null) {
            flags.add(userId == 255 ? "user:unknown" : "user:" + userId);
        }
        if (unsuccessful()) {
            out.problem(ErrorCode.NOT_A_NUMBER, "Weight at byte 1 is 0xFFFF, the scale's \"measurement unsuccessful\";"
                    + " no weight is stored.", "byte 1");
        } else {
            out.add(VitalSign.BODY_WEIGHT, weight, weightUnit(), time, flags, 1);
        }
        if (bmi != null) {
            int bmiAt = 3 + (timestamp == null ? 0 : 7) + (userId == null ? 0 : 1);
            out.add(VitalSign.BMI, bmi, "kg/m2", time, flags, bmiAt);
            out.add(VitalSign.BODY_HEIGHT, height, heightUnit(), time, flags, bmiAt + 2);
        }
    }
}
