package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.Observation;
import org.vigil.normalize.PayloadRejected;

import java.time.Instant;
import java.time.ZoneOffset;

/**
 * One Bluetooth GATT characteristic value → Vigil observations, in the device's units with LOINC codes. For
 * every decoder that carries raw GATT notifications ({@link GattFormatDecoder}, hub envelopes).
 * <p>
 * {@link #decode} returns a {@link Decoding} rather than a list of {@link Observation}s because one value can be
 * partly usable: a blood pressure with a NaN pulse rate still yields the pressures, and the pulse rate comes back
 * as a {@code NOT_A_NUMBER} problem in {@link Decoding#problems()}, not dropped. When nothing is usable it throws.
 * <p>
 * Supported: Blood Pressure Measurement 0x2A35, Weight Measurement 0x2A9D, Glucose Measurement 0x2A18, PLX
 * Spot-Check 0x2A5E and Continuous 0x2A5F Measurement, Heart Rate Measurement 0x2A37, Temperature Measurement
 * 0x2A1C (see {@link Characteristic}). What each yields:
 * <ul>
 *   <li>blood pressure: panel 85354-9 (8480-6, 8462-4, and 8478-0 when it is a number) in {@code mmHg} or
 *       {@code kPa}; the pulse rate as its own 8867-4 in {@code /min}</li>
 *   <li>weight: 29463-7 in {@code kg} or {@code lb}; with BMI and height also 39156-5 in {@code kg/m2} and 8302-2
 *       in {@code m} or {@code in}</li>
 *   <li>glucose: 2339-0 in {@code kg/L} or {@code mol/L}</li>
 *   <li>pulse oximetry: 59408-5 in {@code %} and 8867-4 in {@code /min}</li>
 *   <li>heart rate: 8867-4; temperature: 8310-5 in {@code Cel} or {@code [degF]}</li>
 * </ul>
 * Status bits and qualifiers become flags ({@code body-movement}, {@code pulse-rate:above-range},
 * {@code user:1}, {@code seq:17}, {@code glucose-type:capillary-whole-blood}, {@code sensor-contact:not-detected},
 * {@code rr-ms:812,790}, {@code temperature-type:tympanum}, …). Range checks and unit conversion are left to the
 * {@link org.vigil.normalize.Normalizer}.
 */
@Singleton
public class GattObservations {

    /**
     * @param device         the device's identifier (its MAC for most BLE devices); goes into every observation
     * @param characteristic {@code 2A35}, {@code 0x2a35} or {@code 00002a35-0000-1000-8000-00805f9b34fb}
     * @param value          the characteristic value as notified, flags byte first
     * @param fallbackTime   the time of readings whose device gave no time or does not know it (typically when the
     *                       hub received the notification); null leaves them to the receive time
     * @param deviceZone     the offset of the device's local clock, in which GATT timestamps are given; null = UTC
     * @throws PayloadRejected {@code UNSUPPORTED_CODE} for a characteristic Vigil does not read,
     *                         {@code MALFORMED_PAYLOAD} for a value that does not match its flags (location
     *                         {@code byte N}), {@code NOT_A_NUMBER} when every value is a special value
     */
    public Decoding decode(String device, String characteristic, byte[] value, @Nullable Instant fallbackTime,
                           @Nullable ZoneOffset deviceZone) throws PayloadRejected {
        GattMeasurement m = measurement(characteristic, value);
        ObservationBuilder out = new ObservationBuilder(m.characteristic(), device, fallbackTime,
                deviceZone == null ? ZoneOffset.UTC : deviceZone);
        // a switch over the sealed type would be a preview feature on Java 17
        if (m instanceof BloodPressureMeasurement bp) {
            bp.observe(out);
        } else if (m instanceof WeightMeasurement w) {
            w.observe(out);
        } else if (m instanceof GlucoseMeasurement g) {
            g.observe(out);
        } else if (m instanceof PlxSpotCheckMeasurement p) {
            p.observe(out);
        } else if (m instanceof PlxContinuousMeasurement p) {
            p.observe(out);
        } else if (m instanceof HeartRateMeasurement hr) {
            hr.observe(out);
        } else if (m instanceof TemperatureMeasurement t) {
            t.observe(out);
        }
        return out.result();
    }

    /**
     * The value decoded field by field, without mapping it to observations.
     *
     * @throws PayloadRejected as {@link #decode}, except that special values are decoded, not rejected
     */
    public GattMeasurement measurement(String characteristic, byte[] value) throws PayloadRejected {
        Characteristic c = Characteristic.of(characteristic);
        if (value == null) {
            throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, c.label() + ": no value bytes were given.");
        }
        return c.read(value);
    }
}
