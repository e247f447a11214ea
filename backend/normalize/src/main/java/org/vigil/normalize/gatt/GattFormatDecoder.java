package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.FormatDecoder;
import org.vigil.normalize.IsoInstant;
import org.vigil.normalize.Payload;
import org.vigil.normalize.PayloadRejected;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * Format {@code gatt}: one BLE notification as a hub forwards it,
 * {@code {"device":"AA:BB:CC:DD:EE:FF","characteristic":"2A35","hex":"1E 8A 00 …","time":"2026-11-21T07:30:00Z",
 * "utcOffset":"+01:00"}}. {@code device} defaults to the subject's device token; {@code time} (when the hub got
 * the notification) stands in for a reading the device did not timestamp; {@code utcOffset} is the offset of the
 * device's clock, in which its timestamps are local (UTC when absent). Spaces in {@code hex} are ignored.
 */
@Singleton
public class GattFormatDecoder implements FormatDecoder {
    public static final String FORMAT = "gatt";

    private final JsonMapper json;
    private final GattObservations gatt;

    public GattFormatDecoder(JsonMapper json, GattObservations gatt) {
        this.json = json;
        this.gatt = gatt;
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Decoding decode(Payload payload) throws PayloadRejected {
        JsonNode root;
        try {
            root = json.readValue(payload.bytes(), JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "Payload is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "Payload is not a GATT notification: expected a JSON"
                    + " object such as {\"device\":\"AA:BB:CC:DD:EE:FF\",\"characteristic\":\"2A35\",\"hex\":\"1E8A00…\"}.");
        }
        String device = text(root, "device", false);
        if (device == null || device.isBlank()) {
            device = payload.subjectDevice();
        }
        if (device == null || device.isBlank()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Field 'device' (the BLE device's MAC) is missing,"
                    + " and the subject names no device.", "/device");
        }
        String characteristic = text(root, "characteristic", true);
        byte[] value = hex(text(root, "hex", true));
        Instant time = time(text(root, "time", false));
        ZoneOffset zone = offset(text(root, "utcOffset", false));
        return gatt.decode(device, characteristic, value, time, zone);
    }

    @Nullable
    private static String text(JsonNode root, String field, boolean required) throws PayloadRejected {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            if (required) {
                throw new PayloadRejected(ErrorCode.INVALID_READING, "Field '" + field + "' is missing.", "/" + field);
            }
            return null;
        }
        if (!node.isString()) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "Field '" + field + "' must be a string.", "/" + field);
        }
        return node.getStringValue();
    }

    private static byte[] hex(String hex) throws PayloadRejected {
        String digits = hex.replaceAll("\\s", "");
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            String why = digits.length() % 2 != 0 ? "it has an odd number of hex digits (" + digits.length() + ")"
                    : "it contains characters that are not hex digits";
            throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, "Field 'hex' is not the notification's bytes: "
                    + why + ". Send two hex digits per byte, optionally separated by spaces.", "/hex");
        }
    }

    @Nullable
    private static Instant time(@Nullable String time) throws PayloadRejected {
        if (time == null) {
            return null;
        }
        try {
            return IsoInstant.parse(time);
        } catch (DateTimeException e) {
            throw new PayloadRejected(ErrorCode.INVALID_READING,
                    "Field 'time' is not an ISO-8601 instant: '" + time + "'.", "/time");
        }
    }

    @Nullable
    private static ZoneOffset offset(@Nullable String offset) throws PayloadRejected {
        if (offset == null) {
            return null;
        }
        try {
            return ZoneOffset.of(offset);
        } catch (DateTimeException e) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Field 'utcOffset' is not a UTC offset such as"
                    + " +01:00 or -05:30: '" + offset + "'.", "/utcOffset");
        }
    }

    private static String firstLine(@Nullable String s) {
        if (s == null) {
            return "unreadable JSON.";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
