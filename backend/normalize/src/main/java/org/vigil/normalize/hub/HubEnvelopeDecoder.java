package org.vigil.normalize.hub;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.vigil.core.DeviceStatus;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.FormatDecoder;
import org.vigil.normalize.JsonFields;
import org.vigil.normalize.Observation;
import org.vigil.normalize.Payload;
import org.vigil.normalize.PayloadRejected;
import org.vigil.normalize.Problem;
import org.vigil.normalize.gatt.GattObservations;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The vendor-neutral hub envelope (format {@code hub}; documented in {@code backend/normalize/README.md}): a
 * cellular or BLE hub reports itself (serial/IMEI, battery, signal, firmware, its clock) and one or many
 * measurements, each either in LOINC terms or as the raw GATT characteristic a BLE device sent.
 * <p>
 * When the hub reports its clock, the difference to our receive time is the hub's drift, and measurement times
 * (taken by the hub's clock) are corrected by it. One bad measurement does not spoil the others.
 */
@Singleton
public class HubEnvelopeDecoder implements FormatDecoder {
    /** More than a week of readings every minute; beyond it a hub is misbehaving. */
    static final int MAX_MEASUREMENTS = 10_000;

    private final JsonMapper json;
    private final GattObservations gatt;

    public HubEnvelopeDecoder(JsonMapper json, GattObservations gatt) {
        this.json = json;
        this.gatt = gatt;
    }

    @Override
    public String format() {
        return "hub";
    }

    @Override
    public Decoding decode(Payload payload) throws PayloadRejected {
        JsonNode root = JsonFields.object(json, payload.bytes(), "a hub envelope",
                "{\"hub\":{\"serial\":\"HUB-1\"},\"measurements\":[{\"device\":\"SCALE-1\",\"code\":\"29463-7\",…}]}");
        JsonNode hub = root.get("hub");
        if (hub != null && !hub.isObject()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "'hub' must be an object.", "/hub");
        }
        String hubId = firstText(hub, "serial", "imei");
        if (hubId == null) {
            hubId = payload.subjectDevice().isEmpty() ? null : payload.subjectDevice();
        }
        Duration drift = Duration.ZERO;
        Instant hubClock = JsonFields.instant(text(hub, "clock"), "/hub/clock");
        if (hubClock != null) {
            drift = Duration.between(hubClock, payload.received());
        }
        ZoneOffset zone = JsonFields.offset(text(hub, "utcOffset"), "/hub/utcOffset");
        List<DeviceStatus> statuses = new ArrayList<>(1);
        List<Problem> problems = new ArrayList<>();
        if (hubId != null && hub != null) {
            statuses.add(status(hubId, hub, payload.received(), problems));
        }

        JsonNode ms = root.get("measurements");
        if (ms == null || !ms.isArray() || ms.size() == 0) {
            if (!statuses.isEmpty() && problems.isEmpty()) {
                // A heartbeat: the hub only reports itself.
                return new Decoding(List.of(), List.of(), statuses);
            }
            throw new PayloadRejected(ErrorCode.INVALID_READING, "'measurements' must be a non-empty array.", "/measurements");
        }
        if (ms.size() > MAX_MEASUREMENTS) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "An envelope may carry at most " + MAX_MEASUREMENTS
                    + " measurements; this one has " + ms.size() + ". Split the upload.", "/measurements");
        }
        List<Observation> observations = new ArrayList<>(ms.size());
        int i = 0;
        for (JsonNode m : ms.values()) {
            String at = "/measurements/" + i++;
            try {
                read(m, at, hubId, drift, zone, observations, problems);
            } catch (PayloadRejected e) {
                problems.add(e.problem());
            }
        }
        return new Decoding(observations, problems, statuses);
    }

    private void read(JsonNode m, String at, String hubId, Duration drift, ZoneOffset zone,
                      List<Observation> out, List<Problem> problems) throws PayloadRejected {
        if (!m.isObject()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "A measurement must be a JSON object.", at);
        }
        String device = text(m, "device");
        if (device == null) {
            device = hubId;
        }
        if (device == null) {
            throw new PayloadRejected(ErrorCode.INVALID_READING,
                    "Measurement names no 'device', and the hub has no serial or IMEI to stand for it.", at + "/device");
        }
        Instant time = JsonFields.instant(text(m, "time"), at + "/time");
        JsonNode gattNode = m.get("gatt");
        if (gattNode != null) {
            String characteristic = text(gattNode, "characteristic");
            String hex = text(gattNode, "hex");
            if (characteristic == null || hex == null) {
                throw new PayloadRejected(ErrorCode.INVALID_READING, "'gatt' needs 'characteristic' and 'hex'.", at + "/gatt");
            }
            Decoding d = gatt.decode(device, characteristic, JsonFields.hex(hex, at + "/gatt/hex"), time, zone);
            for (Observation o : d.observations()) {
                out.add(withDrift(o, drift).at(at));
            }
            for (Problem p : d.problems()) {
                problems.add(new Problem(p.code(), p.reason(), at + "/gatt" + (p.location() == null ? "" : " " + p.location())));
            }
            return;
        }
        String code = text(m, "code");
        if (code == null) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Measurement needs a LOINC 'code' or a 'gatt' characteristic.", at + "/code");
        }
        List<Measurement> values = new ArrayList<>(3);
        JsonNode components = m.get("components");
        if (components != null) {
            if (!components.isArray()) {
                throw new PayloadRejected(ErrorCode.INVALID_READING, "'components' must be an array.", at + "/components");
            }
            int j = 0;
            for (JsonNode c : components.values()) {
                values.add(value(c, text(c, "code"), at + "/components/" + j++));
            }
        } else {
            values.add(value(m, code, at));
        }
        out.add(new Observation(device, code, values, time, time == null ? Duration.ZERO : drift, List.of(), at));
    }

    private static Observation withDrift(Observation o, Duration drift) {
        return o.deviceTime() == null ? o
                : new Observation(o.device(), o.code(), o.measurements(), o.deviceTime(), drift, o.flags(), o.location());
    }

    private static Measurement value(JsonNode node, String code, String at) throws PayloadRejected {
        if (node == null || !node.isObject()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "A value must be an object with 'value' and 'unit'.", at);
        }
        if (code == null) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Component has no 'code'.", at + "/code");
        }
        JsonNode v = node.get("value");
        if (v == null || !v.isNumber()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "'value' must be a number.", at + "/value");
        }
        String unit = text(node, "unit");
        if (unit == null) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "'unit' is missing.", at + "/unit");
        }
        return new Measurement(code, v.getDoubleValue(), unit);
    }

    // A nonsensical status field is reported and left out; it never holds back the readings.
    private static DeviceStatus status(String hubId, JsonNode hub, Instant received, List<Problem> problems) {
        Double battery = number(hub, "battery");
        if (battery != null && !(battery >= 0 && battery <= 100)) {
            problems.add(new Problem(ErrorCode.INVALID_READING, "'battery' is a percentage (0–100), got " + battery + ".", "/hub/battery"));
            battery = null;
        }
        Double signal = number(hub, "signal");
        if (signal != null && !(signal >= -200 && signal <= 0)) {
            problems.add(new Problem(ErrorCode.INVALID_READING, "'signal' is in dBm (-200–0), got " + signal + ".", "/hub/signal"));
            signal = null;
        }
        return new DeviceStatus(hubId, battery, signal == null ? null : (int) Math.round(signal), text(hub, "firmware"), received);
    }

    private static Double number(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isNumber() ? v.getDoubleValue() : null;
    }

    private static String text(JsonNode node, String field) {
        return JsonFields.text(node, field);
    }

    private static String firstText(JsonNode node, String... fields) {
        for (String f : fields) {
            String s = text(node, f);
            if (s != null) {
                return s;
            }
        }
        return null;
    }
}
