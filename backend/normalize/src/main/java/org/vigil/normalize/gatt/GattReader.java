package org.vigil.normalize.gatt;

import org.vigil.core.ErrorCode;
import org.vigil.normalize.PayloadRejected;

/**
 * Reads the fields of one characteristic value in order (little-endian, as GATT sends them), and explains a value
 * that is shorter or longer than its flags say: which field, at which byte, is missing or unexpected.
 */
final class GattReader {
    private final Characteristic characteristic;
    private final byte[] value;
    private int position;
    private int flags = -1;
    private String lastField = "nothing";

    GattReader(Characteristic characteristic, byte[] value) {
        this.characteristic = characteristic;
        this.value = value;
    }

    /** The Flags byte, which every supported characteristic starts with. */
    int flags() throws PayloadRejected {
        flags = u8("Flags");
        return flags;
    }

    int u8(String field) throws PayloadRejected {
        return value[take(field, 1)] & 0xFF;
    }

    int u16(String field) throws PayloadRejected {
        int at = take(field, 2);
        return (value[at] & 0xFF) | (value[at + 1] & 0xFF) << 8;
    }

    int s16(String field) throws PayloadRejected {
        return (short) u16(field);
    }

    int u24(String field) throws PayloadRejected {
        int at = take(field, 3);
        return (value[at] & 0xFF) | (value[at + 1] & 0xFF) << 8 | (value[at + 2] & 0xFF) << 16;
    }

    Ieee11073Float sfloat(String field) throws PayloadRejected {
        int at = position;
        return Ieee11073Float.sfloat(u16(field), at);
    }

    Ieee11073Float float32(String field) throws PayloadRejected {
        int at = take(field, 4);
        int raw = (value[at] & 0xFF) | (value[at + 1] & 0xFF) << 8 | (value[at + 2] & 0xFF) << 16 | value[at + 3] << 24;
        return Ieee11073Float.float32(raw, at);
    }

    GattDateTime dateTime(String field) throws PayloadRejected {
        int at = take(field, 7);
        GattDateTime t = new GattDateTime((value[at] & 0xFF) | (value[at + 1] & 0xFF) << 8, value[at + 2] & 0xFF,
                value[at + 3] & 0xFF, value[at + 4] & 0xFF, value[at + 5] & 0xFF, value[at + 6] & 0xFF);
        String invalid = t.invalidity();
        if (invalid != null) {
            throw malformed(field + " at byte " + at + " reads " + t + ", which is not a date and time: " + invalid
                    + ". The device clock or the notification is corrupted.", at);
        }
        return t;
    }

    int position() {
        return position;
    }

    int remaining() {
        return value.length - position;
    }

    /** Fails when bytes are left over after the last field the flags call for. */
    void end() throws PayloadRejected {
        if (remaining() > 0) {
            throw malformed("the value has " + bytes(remaining()) + " more than its flags " + flagsHex()
                    + " call for, from byte " + position + " on (the last expected field is " + lastField
                    + "). The flags byte is wrong or the notification is corrupted.", position);
        }
    }

    PayloadRejected malformed(String sentence, int at) {
        return new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, characteristic.label() + ": " + sentence, "byte " + at);
    }

    String flagsHex() {
        return String.format("0x%02X", flags);
    }

    private int take(String field, int size) throws PayloadRejected {
        if (remaining() < size) {
            String have = remaining() == 0 ? "the value ends there"
                    : "only " + bytes(remaining()) + (remaining() == 1 ? " remains" : " remain");
            String needs = flags < 0 ? "it needs " : "with flags " + flagsHex() + " it needs ";
            throw malformed("the value is cut short: " + needs + field + " (" + bytes(size) + ") at byte " + position
                    + ", but " + have + " (" + bytes(value.length) + " in all). The notification was truncated,"
                    + " or its flags byte does not match its content.", position);
        }
        int at = position;
        position += size;
        lastField = field;
        return at;
    }

    private static String bytes(int n) {
        return n == 1 ? "1 byte" : n + " bytes";
    }
}
