package org.vigil.core;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * A reading as a device (or the edge, after decoding a vendor format) publishes it in canonical JSON on
 * {@code vigil.<tenant>.ingest.canonical.<device>}:
 * <pre>{"device":"SN-123","code":"29463-7","value":81.4,"unit":"kg","effective":"2026-11-21T07:30:00.250Z"}
 * {"device":"SN-124","code":"85354-9","effective":"...","components":[{"code":"8480-6","value":128,"unit":"mm[Hg]"},
 *                                                                      {"code":"8462-4","value":82,"unit":"mm[Hg]"}]}</pre>
 * Fields are nullable here because this is untrusted input; the ingest stage says what is wrong.
 */
@Serdeable
public record DeviceReading(
        @Nullable String device,
        @Nullable String code,
        @Nullable Double value,
        @Nullable String unit,
        @Nullable String effective,
        @Nullable List<Measurement> components) {

    /**
     * What was measured: the components of a panel, or the single value as one measurement; empty when neither is
     * present. The content hash is computed over exactly this list, by publishers and by the backend alike.
     */
    public List<Measurement> measurements() {
        if (components != null && !components.isEmpty()) {
            return components;
        }
        return value == null ? List.of() : List.of(new Measurement(code, value, unit));
    }

    public static DeviceReading single(String device, String code, double value, String unit, String effective) {
        return new DeviceReading(device, code, value, unit, effective, null);
    }

    public static DeviceReading panel(String device, String code, List<Measurement> components, String effective) {
        return new DeviceReading(device, code, null, null, effective, components);
    }
}
