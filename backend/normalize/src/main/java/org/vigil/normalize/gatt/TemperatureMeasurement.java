package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.VitalSign;
import org.vigil.normalize.PayloadRejected;

import java.util.ArrayList;
import java.util.List;

/**
 * Temperature Measurement (0x2A1C). Flags: bit 0 unit (0 Celsius, 1 Fahrenheit), bit 1 Time Stamp, bit 2
 * Temperature Type present; bits 3–7 reserved and ignored. The temperature is a 32-bit FLOAT.
 *
 * @param temperatureType 1 armpit … 9 tympanum
 */
public record TemperatureMeasurement(int flags, boolean fahrenheit, Ieee11073Float temperature,
                                     @Nullable GattDateTime timestamp, @Nullable Integer temperatureType)
        implements GattMeasurement {

    public static final int FAHRENHEIT = 0x01;
    public static final int TIME_STAMP = 0x02;
    public static final int TEMPERATURE_TYPE = 0x04;

    private static final String[] TYPES = {null, "armpit", "body", "ear", "finger", "gastrointestinal-tract", "mouth",
            "rectum", "toe", "tympanum"};

    @Override
    public Characteristic characteristic() {
        return Characteristic.TEMPERATURE_MEASUREMENT;
    }

    /** {@code Cel} or {@code [degF]}, as {@link org.vigil.normalize.Units} spells them. */
    public String unit() {
        return fahrenheit ? "[degF]" : "Cel";
    }

    /** e.g. {@code tympanum}, {@code reserved-12}; null when the type is absent. */
    @Nullable
    public String temperatureTypeName() {
        if (temperatureType == null) {
            return null;
        }
        return temperatureType < TYPES.length && TYPES[temperatureType] != null ? TYPES[temperatureType]
                : "reserved-" + temperatureType;
    }

    static TemperatureMeasurement read(GattReader r) throws PayloadRejected {
        int flags = r.flags();
        Ieee11073Float temperature = r.float32("Temperature Measurement Value");
        GattDateTime timestamp = (flags & TIME_STAMP) != 0 ? r.dateTime("Time Stamp") : null;
        Integer type = (flags & TEMPERATURE_TYPE) != 0 ? r.u8("Temperature Type") : null;
        r.end();
        return new TemperatureMeasurement(flags, (flags & FAHRENHEIT) != 0, temperature, timestamp, type);
    }

    void observe(ObservationBuilder out) {
        List<String> flags = new ArrayList<>(2);
        if (timestamp != null && !timestamp.isKnown()) {
            flags.add("device-time:unknown");
        }
        if (temperatureType != null) {
            flags.add("temperature-type:" + temperatureTypeName());
        }
        Double value = out.number(temperature, "Temperature Measurement Value");
        if (value != null) {
            out.add(VitalSign.BODY_TEMPERATURE, value, unit(), out.time(timestamp), flags, temperature.offset());
        }
    }
}
