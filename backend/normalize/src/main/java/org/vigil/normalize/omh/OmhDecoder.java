package org.vigil.normalize.omh;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import jakarta.inject.Singleton;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.FormatDecoder;
import org.vigil.normalize.Observation;
import org.vigil.normalize.Payload;
import org.vigil.normalize.PayloadRejected;
import org.vigil.normalize.Problem;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Open mHealth data points, as phone apps and health-data aggregators upload them.
 * <p>
 * Wire format: one data point {@code {"header": {...}, "body": {...}}}, or a JSON array of them (a day's worth from
 * a phone). Each data point is checked against the OMH data-point/header schema, then its body against the schema
 * its {@code header.schema_id} names, at exactly that version. In an array every data point stands alone: the
 * usable ones become readings, each unusable one a problem whose location is a JSON pointer into the payload
 * ({@code /3/body/systolic_blood_pressure/unit}).
 * <p>
 * The device is the subject's device token, because NATS authenticated the sender for it; a header's
 * {@code acquisition_provenance.device_id} (an extension OMH allows, not part of its header schema) is used only
 * when the subject names no device, and kept as a {@code reported-device} flag when it names another one.
 * {@code source_name} names an app or vendor, not a device, so it is never used as one.
 */
@Singleton
public class OmhDecoder implements FormatDecoder {
    public static final String FORMAT = "omh";
    /** How many schema violations a problem quotes; later ones are mostly consequences of the first. */
    private static final int QUOTED_VIOLATIONS = 3;
    private static final int MAX_QUOTED_ID = 80;
    /** Jackson names the (redacted) source before the position where an unclosed object started; the position helps. */
    private static final Pattern JACKSON_SOURCE = Pattern.compile("\\[Source: [^;\\]]*; ");

    private final OmhSchemas schemas;
    private final ObjectMapper json;

    public OmhDecoder(OmhSchemas schemas) {
        this.schemas = schemas;
        // a repeated key would leave it to the parser which of two blood pressures is the reading
        this.json = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    @Override
    public String format() {
        return FORMAT;
    }

    /** A day of readings every minute from one app is far below this; beyond it the sender is misbehaving. */
    static final int MAX_DATA_POINTS = 10_000;

    @Override
    public Decoding decode(Payload payload) throws PayloadRejected {
        JsonNode root = parse(payload.bytes());
        if (root.isObject()) {
            return Decoding.of(dataPoint(root, payload.subjectDevice()));
        }
        if (!root.isArray()) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "The payload is a JSON " + kind(root)
                    + ", not an Open mHealth data point (an object with a header and a body) or an array of them.");
        }
        if (root.isEmpty()) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON,
                    "The payload is an empty JSON array: it holds no data points.");
        }
        int n = root.size();
        if (n > MAX_DATA_POINTS) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "An upload may carry at most " + MAX_DATA_POINTS
                    + " data points; this one has " + n + ". Split it.");
        }
        List<Observation> observations = new ArrayList<>(n);
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            JsonNode element = root.get(i);
            try {
                // The location lets a problem the Normalizer finds later (an impossible value) name its data point.
                observations.add(dataPoint(element, payload.subjectDevice()).at("/" + i));
            } catch (PayloadRejected e) {
                problems.add(inArray(e.problem(), element, i, n));
            }
        }
        return new Decoding(observations, problems, List.of());
    }

    /** One data point; problem locations are JSON pointers from the data point's root. */
    private Observation dataPoint(JsonNode node, String subjectDevice) throws PayloadRejected {
        List<OmhSchemas.Violation> envelope = schemas.validateDataPoint(node);
        if (!envelope.isEmpty()) {
            throw new PayloadRejected(ErrorCode.SCHEMA_VIOLATION, "Not an Open mHealth data point"
                    + " (omh:data-point:1.0): " + quote(envelope, ""), pointer(envelope.get(0).pointer()));
        }
        JsonNode header = node.get("header");
        JsonNode body = node.get("body");
        OmhSchemaId id = schemaId(header.get("schema_id"));
        OmhMeasure measure = measure(id);
        List<OmhSchemas.Violation> violations = schemas.validateBody(id, body).orElseThrow(() ->
                new IllegalStateException("No compiled schema for " + id + ", which OmhMeasure lists"));
        if (!violations.isEmpty()) {
            throw new PayloadRejected(ErrorCode.SCHEMA_VIOLATION, "The body does not conform to " + id + ": "
                    + quote(violations, "/body"), "/body" + violations.get(0).pointer());
        }

        List<String> flags = new ArrayList<>();
        String device = device(header, subjectDevice, flags);
        OmhTimeFrame.Timing timing = OmhTimeFrame.of(body);
        Instant deviceTime = timing.at();
        if (deviceTime == null) {
            // Without an instant in the time frame (it is optional in the 1.x schemas) the header's creation time is
            // the closest the data point comes to saying when the value was taken. Unlike Vigil's receive time it does
            // not move when a phone uploads a day late, and a re-sent data point keeps its content hash. The header
            // schema requires it and has checked that it is a date-time.
            deviceTime = OmhTimeFrame.instant(header.path("creation_date_time"), "/header/creation_date_time");
            flags.add("time:creation-date-time");
        }
        flags.addAll(timing.flags());
        flags.addAll(OmhQualifiers.flags(body));
        JsonNode modality = header.path("acquisition_provenance").path("modality");
        if (modality.isTextual()) {
            flags.add("modality:" + modality.textValue());
        }
        return new Observation(device, measure.code(), measure.measurements(body), deviceTime, Duration.ZERO, flags);
    }

    private static OmhSchemaId schemaId(JsonNode schemaId) {
        // the header schema has checked that all three are strings
        return new OmhSchemaId(schemaId.get("namespace").textValue(), schemaId.get("name").textValue(),
                schemaId.get("version").textValue());
    }

    private static OmhMeasure measure(OmhSchemaId id) throws PayloadRejected {
        OmhMeasure measure = "omh".equals(id.namespace()) ? OmhMeasure.bySchemaName(id.name()).orElse(null) : null;
        if (measure == null) {
            String known = Arrays.stream(OmhMeasure.values()).map(m -> "omh:" + m.schemaName())
                    .collect(Collectors.joining(", "));
            throw new PayloadRejected(ErrorCode.UNSUPPORTED_CODE, "Schema " + id + " is not one Vigil decodes;"
                    + " it decodes " + known + ".", "/header/schema_id");
        }
        if (!measure.versions().contains(id.version())) {
            throw new PayloadRejected(ErrorCode.UNSUPPORTED_CODE, "Schema " + id + " is not a version Vigil has;"
                    + " it has " + String.join(", ", measure.versions()) + " of omh:" + measure.schemaName()
                    + " (the version must be given exactly, e.g. \"" + measure.versions().get(0) + "\").",
                    "/header/schema_id/version");
        }
        return measure;
    }

    private static String device(JsonNode header, String subjectDevice, List<String> flags) throws PayloadRejected {
        JsonNode reported = header.path("acquisition_provenance").path("device_id");
        String headerDevice = reported.isTextual() && !reported.textValue().isBlank() ? reported.textValue() : null;
        if (subjectDevice != null && !subjectDevice.isBlank()) {
            if (headerDevice != null && !headerDevice.equals(subjectDevice)) {
                flags.add("reported-device:" + headerDevice);
            }
            return subjectDevice;
        }
        if (headerDevice == null) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "No device: the subject has no device token and the"
                    + " header has no acquisition_provenance.device_id.", "/header/acquisition_provenance");
        }
        return headerDevice;
    }

    private JsonNode parse(byte[] bytes) throws PayloadRejected {
        if (bytes == null || bytes.length == 0) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "The payload is empty.");
        }
        try {
            JsonNode root = json.readTree(bytes);
            if (root == null || root.isMissingNode()) {
                throw new PayloadRejected(ErrorCode.MALFORMED_JSON,
                        "The payload holds no JSON value (only white space).");
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
            String message = JACKSON_SOURCE.matcher(e.getOriginalMessage()).replaceAll("[");
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON,
                    "The payload is not valid JSON: " + message + where + ".");
        } catch (IOException e) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON,
                    "The payload could not be read as JSON: " + e.getMessage() + ".");
        }
    }

    private static Problem inArray(Problem problem, JsonNode element, int index, int size) {
        JsonNode id = element.path("header").path("id");
        String which = "Data point " + (index + 1) + " of " + size
                + (id.isTextual() ? " (id '" + abbreviated(id.textValue()) + "')" : "");
        String location = "/" + index + (problem.location() == null ? "" : problem.location());
        return new Problem(problem.code(), which + ": " + problem.reason(), location);
    }

    /** The first violations, each with its pointer from the data point's root. */
    private static String quote(List<OmhSchemas.Violation> violations, String base) {
        String quoted = violations.stream().limit(QUOTED_VIOLATIONS)
                .map(v -> (base + v.pointer()).isEmpty() ? v.message() : base + v.pointer() + ": " + v.message())
                .collect(Collectors.joining("; "));
        int more = violations.size() - QUOTED_VIOLATIONS;
        return quoted + (more > 0 ? " (and " + more + " more)" : "") + ".";
    }

    /** Ids are meant to be UUIDs; a sender's mistake should not fill the dead-letter reason. */
    private static String abbreviated(String s) {
        return s.length() <= MAX_QUOTED_ID ? s : s.substring(0, MAX_QUOTED_ID) + "…";
    }

    /** The JSON pointer "" is the whole document, which {@link Problem} spells null. */
    private static String pointer(String jsonPointer) {
        return jsonPointer.isEmpty() ? null : jsonPointer;
    }

    private static String kind(JsonNode node) {
        return switch (node.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> "number";
            case BOOLEAN -> "boolean";
            case NULL -> "null";
            default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
        };
    }
}
