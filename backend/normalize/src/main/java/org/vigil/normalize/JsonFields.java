package org.vigil.normalize;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.vigil.core.ErrorCode;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

/**
 * Reading the fields our JSON formats share (times, UTC offsets, hex bytes), each refused with the same sentence
 * and a JSON-pointer location whichever format carries it.
 */
public final class JsonFields {
    private JsonFields() {
    }

    /** The payload as a JSON object; {@code example} shows the sender what one looks like. */
    public static JsonNode object(JsonMapper json, byte[] bytes, String what, String example) throws PayloadRejected {
        JsonNode root;
        try {
            root = json.readValue(bytes, JsonNode.class);
        } catch (IOException | RuntimeException e) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "Payload is not JSON: " + firstLine(e.getMessage()));
        }
        if (root == null || !root.isObject()) {
            throw new PayloadRejected(ErrorCode.MALFORMED_JSON, "Payload is not " + what + ": expected a JSON object such as " + example + ".");
        }
        return root;
    }

    /** A string (or number) field, stripped; null when absent, null or blank. */
    @Nullable
    public static String text(@Nullable JsonNode node, String field) {
        JsonNode v = node == null || !node.isObject() ? null : node.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        String s = v.isString() ? v.getStringValue() : v.isNumber() ? v.getNumberValue().toString() : null;
        return s == null || s.isBlank() ? null : s.strip();
    }

    @Nullable
    public static Instant instant(@Nullable String text, String location) throws PayloadRejected {
        if (text == null) {
            return null;
        }
        try {
            return IsoInstant.parse(text);
        } catch (DateTimeException e) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "'" + text + "' is not an ISO-8601 instant.", location);
        }
    }

    @Nullable
    public static ZoneOffset offset(@Nullable String text, String location) throws PayloadRejected {
        if (text == null) {
            return null;
        }
        try {
            return ZoneOffset.of(text);
        } catch (DateTimeException e) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "'" + text + "' is not a UTC offset such as +01:00 or -05:30.", location);
        }
    }

    /** Two hex digits per byte, optionally separated by white space. */
    public static byte[] hex(String text, String location) throws PayloadRejected {
        String digits = text.replaceAll("\\s", "");
        try {
            return HexFormat.of().parseHex(digits);
        } catch (IllegalArgumentException e) {
            String why = digits.length() % 2 != 0 ? "it has an odd number of hex digits (" + digits.length() + ")"
                    : "it contains characters that are not hex digits";
            throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, "'hex' is not the notification's bytes: " + why
                    + ". Send two hex digits per byte, optionally separated by spaces.", location);
        }
    }

    /** The first line of a parser's message: the rest is a stack of context nobody fixing a sender needs. */
    public static String firstLine(@Nullable String s) {
        if (s == null) {
            return "unreadable JSON";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
