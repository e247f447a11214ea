package org.vigil.normalize;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.Measurement;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * What a decoder read: one reading in the device's own terms. Measurements carry LOINC codes but the device's
 * value and unit (UCUM or the spelling the format uses, e.g. {@code lb}); {@link Normalizer} converts them.
 *
 * @param device          the identifier the device reported (serial, IMEI, MAC, EUI-64)
 * @param code            LOINC code of the reading (a panel code for blood pressure)
 * @param deviceTime      the time the device's clock gave the measurement; null when it sent none
 * @param clockCorrection how far the device's clock is behind true time, when the message let us measure it
 *                        (a hub reporting its clock next to its readings); {@link Duration#ZERO} otherwise
 * @param flags           what the device said about the measurement beyond its value ({@code key} or {@code key:value})
 * @param location        where in the payload it came from ({@code /measurements/3}, {@code OBX-5(4)}), so that a
 *                        problem found later (an impossible value) can point there; null when obvious
 */
public record Observation(String device, String code, List<Measurement> measurements, @Nullable Instant deviceTime,
                          Duration clockCorrection, List<String> flags, @Nullable String location) {

    public Observation {
        measurements = List.copyOf(measurements);
        flags = List.copyOf(flags);
    }

    public Observation(String device, String code, List<Measurement> measurements, @Nullable Instant deviceTime,
                       Duration clockCorrection, List<String> flags) {
        this(device, code, measurements, deviceTime, clockCorrection, flags, null);
    }

    public Observation at(String location) {
        return new Observation(device, code, measurements, deviceTime, clockCorrection, flags, location);
    }

    public static Observation of(String device, String code, List<Measurement> measurements, @Nullable Instant deviceTime) {
        return new Observation(device, code, measurements, deviceTime, Duration.ZERO, List.of());
    }
}
