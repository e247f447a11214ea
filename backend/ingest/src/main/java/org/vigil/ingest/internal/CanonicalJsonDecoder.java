package org.vigil.ingest.internal;

import io.micronaut.json.JsonMapper;
import jakarta.inject.Singleton;
import org.vigil.core.ContentHash;
import org.vigil.core.DeviceReading;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;
import org.vigil.core.VitalSign;
import org.vigil.ingest.IngestSettings;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Decodes and validates the canonical JSON reading ({@link DeviceReading}). Every way a message can be wrong
 * maps to a stable {@link ErrorCode} and a sentence a support engineer can act on.
 */
@Singleton
public class CanonicalJsonDecoder {
    private final JsonMapper json;
    private final IngestSettings settings;

    public CanonicalJsonDecoder(JsonMapper json, IngestSettings settings) {
        this.json = json;
        this.settings = settings;
    }

    Decoded decode(String subject, byte[] payload, Instant received, long streamSeq) {
        String tenantToken = Subjects.tenantOf(subject).orElse("");
        Decoded.Envelope in = new Decoded.Envelope(tenantToken, subject, payload, received, streamSeq);
        if (!TenantId.isValid(tenantToken)) {
            return reject(in, ErrorCode.INVALID_SUBJECT,
                    "Subject '" + subject + "' does not name a tenant (expected vigil.<tenant>.ingest.<format>.<device>).");
        }
        TenantId tenant = new TenantId(tenantToken);
        String format = Subjects.formatOf(subject).orElse("");
        if (!format.equals(Subjects.CANONICAL_FORMAT)) {
            return reject(in, ErrorCode.UNSUPPORTED_FORMAT,
                    "No decoder for format '" + format + "' in subject '" + subject + "'.");
        }
        DeviceReading r;
        try {
            r = json.readValue(payload, DeviceReading.class);
        } catch (IOException | RuntimeException e) {
            return reject(in, ErrorCode.MALFORMED_JSON,
                    "Payload is not a canonical JSON reading: " + firstLine(e.getMessage()));
        }
        if (r == null) {
            return reject(in, ErrorCode.MALFORMED_JSON,
                    "Payload is empty or JSON null.");
        }
        String problem = validate(r);
        if (problem != null) {
            return reject(in, ErrorCode.INVALID_READING, problem);
        }
        Instant effective;
        try {
            effective = IsoInstant.parse(r.effective());
        } catch (DateTimeParseException e) {
            return reject(in, ErrorCode.INVALID_READING,
                    "Field 'effective' is not an ISO-8601 UTC instant: '" + r.effective() + "'.");
        }
        if (effective.isAfter(received.plus(settings.maxFutureSkew()))) {
            return reject(in, ErrorCode.INVALID_READING,
                    "Effective time " + effective + " is more than " + settings.maxFutureSkew().toMinutes()
                            + " minutes after it was received (" + received + "): the device clock is wrong.");
        }
        return new Decoded.Unresolved(in, tenant, r.device(), r.code(), List.copyOf(r.measurements()), effective,
                format, ContentHash.of(tenant, r, effective));
    }

    /** Null when the reading is usable, else why not. */
    static String validate(DeviceReading r) {
        if (blank(r.device())) {
            return "Field 'device' (the device's serial, IMEI or MAC) is missing.";
        }
        if (blank(r.code())) {
            return "Field 'code' (a LOINC code) is missing.";
        }
        if (blank(r.effective())) {
            return "Field 'effective' (when the reading was taken) is missing.";
        }
        VitalSign sign = VitalSign.byCode(r.code()).orElse(null);
        if (sign == null) {
            return "LOINC code '" + r.code() + "' is not a vital sign Vigil accepts.";
        }
        boolean hasComponents = r.components() != null && !r.components().isEmpty();
        if (sign.isPanel()) {
            if (!hasComponents) {
                return "Panel " + sign.code() + " (" + sign.display() + ") needs 'components' " + sign.components() + ".";
            }
            Set<String> seen = new HashSet<>();
            List<String> problems = new ArrayList<>();
            for (Measurement m : r.components()) {
                if (m == null || !sign.components().contains(m.code())) {
                    problems.add("component " + (m == null ? "null" : "'" + m.code() + "'") + " does not belong to panel " + sign.code());
                } else if (!seen.add(m.code())) {
                    problems.add("component " + m.code() + " appears twice");
                } else {
                    String p = checkValue(VitalSign.byCode(m.code()).orElseThrow(), m.value(), m.unit());
                    if (p != null) {
                        problems.add(p);
                    }
                }
            }
            if (problems.isEmpty() && !seen.containsAll(sign.components())) {
                problems.add("panel " + sign.code() + " needs components " + sign.components());
            }
            return problems.isEmpty() ? null : String.join("; ", problems) + ".";
        }
        if (hasComponents) {
            return "Code " + sign.code() + " (" + sign.display() + ") is a single value, not a panel: drop 'components'.";
        }
        if (r.value() == null) {
            return "Field 'value' is missing.";
        }
        String p = checkValue(sign, r.value(), r.unit());
        return p == null ? null : p + ".";
    }

    private static String checkValue(VitalSign sign, double value, String unit) {
        if (!Double.isFinite(value)) {
            return sign.display() + " value is not a finite number";
        }
        if (!sign.unit().equals(unit)) {
            return sign.display() + " (" + sign.code() + ") must be in UCUM '" + sign.unit() + "', got '" + unit + "'";
        }
        if (!sign.isPlausible(value)) {
            return sign.display() + " " + value + " " + unit + " is physiologically impossible (accepted "
                    + sign.min() + "–" + sign.max() + ")";
        }
        return null;
    }

    private static Decoded reject(Decoded.Envelope in, ErrorCode code, String reason) {
        return new Decoded.Rejected(in.reject(code, reason));
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
