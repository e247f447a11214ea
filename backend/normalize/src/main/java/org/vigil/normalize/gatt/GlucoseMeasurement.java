package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.core.VitalSign;
import org.vigil.normalize.PayloadRejected;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Glucose Measurement (0x2A18): one record of a meter's memory. Flags: bit 0 Time Offset, bit 1 Concentration +
 * Type-Sample Location, bit 2 concentration unit (0 kg/L, 1 mol/L), bit 3 Sensor Status Annunciation present,
 * bit 4 a Glucose Measurement Context follows; bits 5–7 reserved and ignored.
 *
 * @param timeOffsetMinutes added to the base time to give the time of the measurement
 * @param type              Type nibble (low 4 bits): 1 capillary whole blood … 10 control solution
 * @param sampleLocation    Sample Location nibble (high 4 bits): 1 finger … 15 not available
 * @param sensorStatus      the raw 16-bit Sensor Status Annunciation; see {@link SensorStatus}
 */
public record GlucoseMeasurement(int flags, int sequenceNumber, GattDateTime baseTime,
                                 @Nullable Integer timeOffsetMinutes, @Nullable Ieee11073Float concentration,
                                 boolean molPerLitre, @Nullable Integer type, @Nullable Integer sampleLocation,
                                 @Nullable Integer sensorStatus) implements GattMeasurement {

    public static final int TIME_OFFSET = 0x01;
    public static final int CONCENTRATION = 0x02;
    public static final int MOL_PER_LITRE = 0x04;
    public static final int SENSOR_STATUS = 0x08;
    public static final int CONTEXT_FOLLOWS = 0x10;

    private static final String[] TYPES = {null, "capillary-whole-blood", "capillary-plasma", "venous-whole-blood",
            "venous-plasma", "arterial-whole-blood", "arterial-plasma", "undetermined-whole-blood",
            "undetermined-plasma", "interstitial-fluid", "control-solution"};
    private static final String CONTROL_SOLUTION = "control-solution";
    private static final String[] LOCATIONS = {null, "finger", "alternate-site", "earlobe", "control-solution"};

    /** The bits of the Sensor Status Annunciation field. */
    public enum SensorStatus implements StatusBit {
        DEVICE_BATTERY_LOW(0, "battery-low"),
        SENSOR_MALFUNCTION(1, "sensor-malfunction"),
        SAMPLE_SIZE_INSUFFICIENT(2, "sample-size-insufficient"),
        STRIP_INSERTION_ERROR(3, "strip-insertion-error"),
        STRIP_TYPE_INCORRECT(4, "strip-type-incorrect"),
        RESULT_TOO_HIGH(5, "result-above-device-range"),
        RESULT_TOO_LOW(6, "result-below-device-range"),
        SENSOR_TEMPERATURE_TOO_HIGH(7, "sensor-temperature-too-high"),
        SENSOR_TEMPERATURE_TOO_LOW(8, "sensor-temperature-too-low"),
        STRIP_PULLED_TOO_SOON(9, "strip-pulled-too-soon"),
        GENERAL_DEVICE_FAULT(10, "device-fault"),
        TIME_FAULT(11, "time-fault");

        private final int bit;
        private final String flag;

        SensorStatus(int bit, String flag) {
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

    @Override
    public Characteristic characteristic() {
        return Characteristic.GLUCOSE_MEASUREMENT;
    }

    public boolean contextFollows() {
        return (flags & CONTEXT_FOLLOWS) != 0;
    }

    /** {@code kg/L} or {@code mol/L}, as {@link org.vigil.normalize.Units} spells them; null without a concentration. */
    @Nullable
    public String concentrationUnit() {
        return concentration == null ? null : molPerLitre ? "mol/L" : "kg/L";
    }

    /** When the sample was measured, by the meter's clock: base time plus offset; empty when the meter does not know. */
    public Optional<LocalDateTime> localTime() {
        int offset = timeOffsetMinutes == null ? 0 : timeOffsetMinutes;
        return baseTime.local().map(t -> t.plusMinutes(offset));
    }

    /** e.g. {@code capillary-whole-blood}, {@code reserved-12}; null without a concentration. */
    @Nullable
    public String typeName() {
        return type == null ? null : name(TYPES, type);
    }

    /** e.g. {@code finger}, {@code not-available}; null without a concentration. */
    @Nullable
    public String sampleLocationName() {
        return sampleLocation == null ? null : sampleLocation == 15 ? "not-available" : name(LOCATIONS, sampleLocation);
    }

    public boolean has(SensorStatus status) {
        return sensorStatus != null && status.in(sensorStatus);
    }

    static GlucoseMeasurement read(GattReader r) throws PayloadRejected {
        int flags = r.flags();
        int sequence = r.u16("Sequence Number");
        GattDateTime base = r.dateTime("Base Time");
        Integer offset = (flags & TIME_OFFSET) != 0 ? r.s16("Time Offset") : null;
        Ieee11073Float concentration = null;
        Integer type = null;
        Integer location = null;
        if ((flags & CONCENTRATION) != 0) {
            concentration = r.sfloat("Glucose Concentration");
            int typeAndLocation = r.u8("Type-Sample Location");
            type = typeAndLocation & 0x0F;
            location = typeAndLocation >> 4;
        }
        Integer status = (flags & SENSOR_STATUS) != 0 ? r.u16("Sensor Status Annunciation") : null;
        r.end();
        return new GlucoseMeasurement(flags, sequence, base, offset, concentration, (flags & MOL_PER_LITRE) != 0,
                type, location, status);
    }

    void observe(ObservationBuilder out) {
        List<String> flags = new ArrayList<>(4);
        flags.add("seq:" + sequenceNumber);
        if (!baseTime.isKnown()) {
            flags.add("device-time:unknown");
        }
        if (concentration != null) {
            flags.add("glucose-type:" + typeName());
            flags.add("sample-location:" + sampleLocationName());
        }
        if (sensorStatus != null) {
            flags.addAll(StatusBit.flags(SensorStatus.values(), sensorStatus));
        }
        if (contextFollows()) {
            flags.add("context-follows");
        }
        if (concentration == null) {
            List<String> status = sensorStatus == null ? List.of() : StatusBit.flags(SensorStatus.values(), sensorStatus);
            out.problem(ErrorCode.INVALID_READING, "record " + sequenceNumber + " carries no glucose concentration"
                    + " (flags bit 1 is clear), so there is nothing to store"
                    + (status.isEmpty() ? "." : "; the meter reported " + String.join(", ", status) + "."), null);
            return;
        }
        if (CONTROL_SOLUTION.equals(typeName()) || CONTROL_SOLUTION.equals(sampleLocationName())) {
            // A meter check with control solution: storing it as the patient's glucose would mislead care and alerts.
            out.problem(ErrorCode.INVALID_READING, "record " + sequenceNumber + " is a control-solution test of the"
                    + " meter, not the patient's glucose, so it is not stored.", null);
            return;
        }
        Double value = out.number(concentration, "Glucose Concentration");
        if (value != null) {
            out.add(VitalSign.GLUCOSE, value, concentrationUnit(),
                    out.time(baseTime, timeOffsetMinutes == null ? 0 : timeOffsetMinutes), flags, concentration.offset());
        }
    }

    private static String name(String[] names, int value) {
        return value < names.length && names[value] != null ? names[value] : "reserved-" + value;
    }
}
