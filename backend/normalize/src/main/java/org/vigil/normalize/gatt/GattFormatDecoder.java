package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.FormatDecoder;
import org.vigil.normalize.JsonFields;
import org.vigil.normalize.Payload;
import org.vigil.normalize.PayloadRejected;

import java.time.Instant;
import java.time.ZoneOffset;

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
        JsonNode root = JsonFields.object(json, payload.bytes(), "a GATT notification",
                "{\"device\":\"AA:BB:CC:DD:EE:FF\",\"characteristic\":\"2A35\",\"hex\":\"1E8A00…\"}");
        String device = text(root, "device", false);
        if (device == null || device.isBlank()) {
            device = payload.subjectDevice();
        }
        if (device == null || device.isBlank()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "Field 'device' (the BLE device's MAC) is missing,"
                    + " and the subject names no device.", "/device");
        }
        String characteristic = text(root, "characteristic", true);
        byte[] value = JsonFields.hex(text(root, "hex", true), "/hex");
        Instant time = JsonFields.instant(text(root, "time", false), "/time");
        ZoneOffset zone = JsonFields.offset(text(root, "utcOffset", false), "/utcOffset");
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
}
