package org.vigil.normalize.gatt;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** Builds a characteristic value field by field (little-endian), remembering where each field starts. */
final class GattBytes {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final List<Integer> starts = new ArrayList<>();

    static int sfloatBits(int mantissa, int exponent) {
        return (exponent & 0xF) << 12 | (mantissa & 0xFFF);
    }

    static int floatBits(int mantissa, int exponent) {
        return exponent << 24 | (mantissa & 0xFFFFFF);
    }

    GattBytes u8(int v) {
        starts.add(out.size());
        out.write(v);
        return this;
    }

    GattBytes u16(int v) {
        starts.add(out.size());
        out.write(v);
        out.write(v >> 8);
        return this;
    }

    GattBytes u24(int v) {
        starts.add(out.size());
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        return this;
    }

    GattBytes u32(int v) {
        starts.add(out.size());
        out.write(v);
        out.write(v >> 8);
        out.write(v >> 16);
        out.write(v >> 24);
        return this;
    }

    GattBytes sfloat(int mantissa, int exponent) {
        return u16(sfloatBits(mantissa, exponent));
    }

    GattBytes float32(int mantissa, int exponent) {
        return u32(floatBits(mantissa, exponent));
    }

    GattBytes dateTime(int year, int month, int day, int hours, int minutes, int seconds) {
        starts.add(out.size());
        out.write(year);
        out.write(year >> 8);
        out.write(month);
        out.write(day);
        out.write(hours);
        out.write(minutes);
        out.write(seconds);
        return this;
    }

    byte[] bytes() {
        return out.toByteArray();
    }

    /** Where the field that a value cut to {@code length} bytes is missing (or missing part of) starts. */
    int missingFieldAt(int length) {
        int at = 0;
        for (int s : starts) {
            if (s <= length) {
                at = s;
            }
        }
        return at;
    }
}
