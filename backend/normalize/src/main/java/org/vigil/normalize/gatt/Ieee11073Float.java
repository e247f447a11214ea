package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Problem;

import java.math.BigDecimal;

/**
 * A number as IEEE 11073-20601 sends it: a signed mantissa times a signed power of ten (SFLOAT: 4-bit exponent,
 * 12-bit mantissa; FLOAT: 8-bit exponent, 24-bit mantissa), or one of the special values that stand where a
 * device has no number. The exponent is decimal, so {@link #value()} is the double nearest the decimal the device
 * meant: 0xF0BD is 189 × 10⁻¹ and reads as exactly {@code 18.9}.
 *
 * @param raw     the 16 (SFLOAT) or 32 (FLOAT) bits as sent, in the low bits
 * @param bits    16 for SFLOAT, 32 for FLOAT
 * @param special the special value, or null for a number
 * @param offset  where the number starts in the characteristic value (0-based), so an error can point at it
 */
public record Ieee11073Float(int raw, int bits, int exponent, int mantissa, @Nullable Special special, int offset) {

    /** 10^0 … 10^22, the powers of ten a double holds exactly. */
    private static final double[] POWERS_OF_TEN = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12,
            1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

    /** The reserved mantissas that carry no number. */
    public enum Special {
        NAN("NaN", 0x07FF, 0x007FFFFF, "not a number: the device has no value for this field"),
        NRES("NRes", 0x0800, 0x00800000, "not at this resolution: the device could not represent the value"),
        POSITIVE_INFINITY("+INF", 0x07FE, 0x007FFFFE, "positive infinity: the value is above what the device can measure"),
        NEGATIVE_INFINITY("-INF", 0x0802, 0x00800002, "negative infinity: the value is below what the device can measure"),
        RESERVED("reserved", 0x0801, 0x00800001, "reserved for a future use: no device should send it");

        private final String symbol;
        private final int sfloat;
        private final int float32;
        private final String meaning;

        Special(String symbol, int sfloat, int float32, String meaning) {
            this.symbol = symbol;
            this.sfloat = sfloat;
            this.float32 = float32;
            this.meaning = meaning;
        }

        public String symbol() {
            return symbol;
        }

        /** Its 16-bit SFLOAT encoding. */
        public int sfloat() {
            return sfloat;
        }

        /** Its 32-bit FLOAT encoding. */
        public int float32() {
            return float32;
        }

        public String meaning() {
            return meaning;
        }
    }

    /** An SFLOAT from its 16 bits (higher bits are ignored). */
    public static Ieee11073Float sfloat(int raw16, int offset) {
        int raw = raw16 & 0xFFFF;
        Special special = null;
        for (Special s : Special.values()) {
            if (s.sfloat == raw) {
                special = s;
            }
        }
        // sign-extend the top nibble and the low 12 bits
        return new Ieee11073Float(raw, 16, (raw << 16) >> 28, (raw << 20) >> 20, special, offset);
    }

    /** A FLOAT from its 32 bits. */
    public static Ieee11073Float float32(int raw, int offset) {
        Special special = null;
        for (Special s : Special.values()) {
            if (s.float32 == raw) {
                special = s;
            }
        }
        return new Ieee11073Float(raw, 32, raw >> 24, (raw << 8) >> 8, special, offset);
    }

    public boolean isSpecial() {
        return special != null;
    }

    /** The number; NaN or ±infinity for the special values. */
    public double value() {
        if (special == Special.POSITIVE_INFINITY) {
            return Double.POSITIVE_INFINITY;
        }
        if (special == Special.NEGATIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        if (special != null) {
            return Double.NaN;
        }
        // m × 10^e must be rounded once (189 × 0.1 is not 18.9, 189 / 10 is). Up to 10^22 both operands are exact
        // doubles, so one multiplication or division rounds once; beyond, BigDecimal does it (slowly, and rarely).
        if (exponent >= 0 && exponent < POWERS_OF_TEN.length) {
            return mantissa * POWERS_OF_TEN[exponent];
        }
        if (exponent < 0 && -exponent < POWERS_OF_TEN.length) {
            return mantissa / POWERS_OF_TEN[-exponent];
        }
        return BigDecimal.valueOf(mantissa, -exponent).doubleValue();
    }

    /** The number as the device wrote it in decimal ({@code 8.7}, {@code 1E+5}), or the special value's symbol. */
    public String decimal() {
        return special != null ? special.symbol : BigDecimal.valueOf(mantissa, -exponent).stripTrailingZeros().toString();
    }

    /** The bits as sent, e.g. {@code 0x07FF}. */
    public String hex() {
        return String.format(bits == 16 ? "0x%04X" : "0x%08X", raw);
    }

    /**
     * Why this field cannot be stored, when it is a special value.
     *
     * @param where the characteristic, e.g. {@code Blood Pressure Measurement (0x2A35)}
     * @param field the field's name in the characteristic, e.g. {@code Systolic}
     */
    public Problem notANumber(String where, String field) {
        if (special == null) {
            throw new IllegalStateException(field + " is a number, " + value());
        }
        return new Problem(ErrorCode.NOT_A_NUMBER, where + ": " + field + " at byte " + offset
                + " is the IEEE 11073 special value " + special.symbol + " (" + hex() + ", " + special.meaning
                + "), so it is not stored.", "byte " + offset);
    }
}
