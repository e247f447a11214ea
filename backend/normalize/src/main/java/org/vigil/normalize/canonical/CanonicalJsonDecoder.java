package org.vigil.normalize.canonical;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.vigil.core.DeviceReading;
import org.vigil.core.ErrorCode;
import org.vigil.core.Subjects;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.FormatDecoder;
import org.vigil.normalize.IsoInstant;
import org.vigil.normalize.JsonFields;
import org.vigil.normalize.Observation;
import org.vigil.normalize.Payload;
import org.vigil.normalize.PayloadRejected;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;

/** Vigil's own JSON reading ({@link DeviceReading}), as the simulator and integrators that speak LOINC send it. */
@Singleton
public class CanonicalJsonDecoder implements FormatDecoder {
    private final JsonMapper json;

    public CanonicalJsonDecoder(JsonMapper json) {
        this.json = json;
    }

    @Override
    public String format() {
        return Subjects.CANONICAL_FORMAT;
    }

    @Override
    public Decoding decode(Payload payload) throws PayloadRejected {
        DeviceReading r;
        try {
            r = json.readValue(payload.bytes(), DeviceReading.class);
        } catch (IOException | RuntimeException e) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "Payload is not a canonical JSON reading: " + JsonFields.firstLine(e.getMessage()));
        }
        if (r == null) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "Payload is empty or JSON null.");
        }
        if (blank(r.device())) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Field 'device' (the device's serial, IMEI or MAC) is missing.", "/device");
        }
        if (blank(r.code())) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Field 'code' (a LOINC code) is missing.", "/code");
        }
        if (blank(r.effective())) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Field 'effective' (when the reading was taken) is missing.", "/effective");
        }
        if (r.measurements().isEmpty()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Neither 'value' nor 'components' is present.", "/value");
        }
        if (r.measurements().stream().anyMatch(m -> m == null || m.code() == null)) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "A component has no 'code'.", "/components");
        }
        Instant effective;
        try {
            effective = IsoInstant.parse(r.effective());
        } catch (DateTimeParseException e) {
            throw new PayloadRejected(ErrorCode.INVALID_READING,
                    "Field 'effective' is not an ISO-8601 instant: '" + r.effective() + "'.", "/effective");
        }
        return Decoding.of(Observation.of(r.device(), r.code(), r.measurements(), effective));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
