package org.vigil.normalize.gatt;

import org.vigil.core.ErrorCode;
import org.vigil.normalize.PayloadRejected;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/** The GATT characteristics Vigil reads measurements from, by their 16-bit Bluetooth SIG UUID. */
public enum Characteristic {
    BLOOD_PRESSURE_MEASUREMENT(0x2A35, "Blood Pressure Measurement", BloodPressureMeasurement::read),
    WEIGHT_MEASUREMENT(0x2A9D, "Weight Measurement", WeightMeasurement::read),
    GLUCOSE_MEASUREMENT(0x2A18, "Glucose Measurement", GlucoseMeasurement::read),
    PLX_SPOT_CHECK_MEASUREMENT(0x2A5E, "PLX Spot-Check Measurement", PlxSpotCheckMeasurement::read),
    PLX_CONTINUOUS_MEASUREMENT(0x2A5F, "PLX Continuous Measurement", PlxContinuousMeasurement::read),
    HEART_RATE_MEASUREMENT(0x2A37, "Heart Rate Measurement", HeartRateMeasurement::read),
    TEMPERATURE_MEASUREMENT(0x2A1C, "Temperature Measurement", TemperatureMeasurement::read);

    // "2A35", "0x2A35", or the 16-bit UUID inside the Bluetooth base UUID
    private static final Pattern SHORT = Pattern.compile("(?:0x)?([0-9a-f]{4})");
    private static final Pattern BASE = Pattern.compile("0000([0-9a-f]{4})-0000-1000-8000-00805f9b34fb");

    @FunctionalInterface
    private interface Reader {
        GattMeasurement read(GattReader r) throws PayloadRejected;
    }

    private final int uuid16;
    private final String displayName;
    private final Reader reader;

    Characteristic(int uuid16, String displayName, Reader reader) {
        this.uuid16 = uuid16;
        this.displayName = displayName;
        this.reader = reader;
    }

    public int uuid16() {
        return uuid16;
    }

    public String displayName() {
        return displayName;
    }

    /** How errors name it: {@code Blood Pressure Measurement (0x2A35)}. */
    public String label() {
        return displayName + " (" + hex(uuid16) + ")";
    }

    /**
     * Decodes one value of this characteristic as the device sent it.
     *
     * @throws PayloadRejected {@code MALFORMED_PAYLOAD} when the value is shorter or longer than its flags say, or
     *                         a field holds what no device may send (a month 13)
     */
    public GattMeasurement read(byte[] value) throws PayloadRejected {
        return reader.read(new GattReader(this, value));
    }

    public static Optional<Characteristic> byUuid16(int uuid16) {
        return Arrays.stream(values()).filter(c -> c.uuid16 == uuid16).findFirst();
    }

    /**
     * The characteristic named by {@code 2A35}, {@code 0x2a35} or {@code 00002a35-0000-1000-8000-00805f9b34fb}.
     *
     * @throws PayloadRejected {@code UNSUPPORTED_CODE} when the text is no characteristic UUID or not one Vigil reads
     */
    public static Characteristic of(String text) throws PayloadRejected {
        String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        Matcher m = SHORT.matcher(t);
        if (!m.matches()) {
            m = BASE.matcher(t);
        }
        if (!m.matches()) {
            throw new PayloadRejected(ErrorCode.UNSUPPORTED_CODE, "'" + text + "' is not a Bluetooth GATT characteristic"
                    + " UUID; expected a 16-bit one such as 2A35, 0x2A35 or 00002a35-0000-1000-8000-00805f9b34fb.");
        }
        int uuid = Integer.parseInt(m.group(1), 16);
        return byUuid16(uuid).orElseThrow(() -> new PayloadRejected(ErrorCode.UNSUPPORTED_CODE,
                "GATT characteristic " + hex(uuid) + " is not one Vigil decodes; supported: " + supported() + "."));
    }

    private static String supported() {
        return Arrays.stream(values()).map(Characteristic::label).collect(Collectors.joining(", "));
    }

    private static String hex(int uuid16) {
        return String.format("0x%04X", uuid16);
    }
}
