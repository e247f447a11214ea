package org.vigil.normalize.gatt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The IEEE 11073-20601 SFLOAT and FLOAT reader against an independent reading of the same bits. */
class GattFloatTest {

    @ParameterizedTest(name = "SFLOAT {0} = {1}")
    @CsvSource({"0xF0BD, 18.9", "0x000B, 11", "0xF09F, 15.9", "0x0064, 100", "0xF3E8, 100", "0xF3AC, 94",
            "0xE366, 8.7", "0x8062, 9.8E-7", "0x0FFF, -1", "0xFFFF, -0.1", "0x7001, 1E7", "0xF7FF, 204.7",
            "0x17FF, 20470", "0x0801, 0", "0x0000, 0", "0x0802, 0"})
    void sfloatExamples(String bits, String expected) {
        Ieee11073Float f = Ieee11073Float.sfloat(Integer.decode(bits), 0);
        if (f.isSpecial()) {
            // 0x0801 and 0x0802 are special only as these exact bits, as tested below
            assertTrue(bits.equals("0x0801") || bits.equals("0x0802"), bits);
            return;
        }
        assertEquals(Double.parseDouble(expected), f.value(), bits);
    }

    @ParameterizedTest(name = "FLOAT {0} = {1}")
    @CsvSource({"0xFE000EB0, 37.6", "0x00FFFFFF, -1", "0xFF000001, 0.1", "0x02000010, 1600", "0x80000001, 1E-128",
            "0x7F7FFFFD, 8.388605E133", "0x00800003, -8388605", "0xFE0026F0, 99.68"})
    void floatExamples(String bits, String expected) {
        Ieee11073Float f = Ieee11073Float.float32(Long.decode(bits).intValue(), 0);
        assertNull(f.special());
        assertEquals(Double.parseDouble(expected), f.value(), bits);
    }

    /** All 65,536 SFLOATs: the five special values by their exact bits, every other one m × 10^e exactly rounded. */
    @Test
    void everySfloat() {
        int specials = 0;
        for (int raw = 0; raw <= 0xFFFF; raw++) {
            Ieee11073Float f = Ieee11073Float.sfloat(raw, 3);
            Ieee11073Float.Special expected = switch (raw) {
                case 0x07FF -> Ieee11073Float.Special.NAN;
                case 0x0800 -> Ieee11073Float.Special.NRES;
                case 0x07FE -> Ieee11073Float.Special.POSITIVE_INFINITY;
                case 0x0802 -> Ieee11073Float.Special.NEGATIVE_INFINITY;
                case 0x0801 -> Ieee11073Float.Special.RESERVED;
                default -> null;
            };
            assertEquals(expected, f.special(), Integer.toHexString(raw));
            if (expected != null) {
                specials++;
                continue;
            }
            int e = raw >>> 12;
            e = e >= 8 ? e - 16 : e;
            int m = raw & 0xFFF;
            m = m >= 0x800 ? m - 0x1000 : m;
            assertEquals(Double.parseDouble(m + "E" + e), f.value(), Integer.toHexString(raw));
        }
        assertEquals(5, specials);
    }

    @Test
    void floatsAtRandom() {
        Random rnd = new Random(11073);
        for (int i = 0; i < 200_000; i++) {
            int raw = rnd.nextInt();
            Ieee11073Float f = Ieee11073Float.float32(raw, 0);
            if (f.isSpecial()) {
                continue;
            }
            int e = raw >> 24;
            int m = raw & 0xFFFFFF;
            m = m >= 0x800000 ? m - 0x1000000 : m;
            assertEquals(Double.parseDouble(m + "E" + e), f.value(), Integer.toHexString(raw));
        }
    }

    @Test
    void specialFloatsAreTheirExactBits() {
        for (Ieee11073Float.Special s : Ieee11073Float.Special.values()) {
            assertEquals(s, Ieee11073Float.float32(s.float32(), 0).special());
            assertEquals(s, Ieee11073Float.sfloat(s.sfloat(), 0).special());
        }
        assertEquals(Double.POSITIVE_INFINITY, Ieee11073Float.sfloat(0x07FE, 0).value());
        assertEquals(Double.NEGATIVE_INFINITY, Ieee11073Float.float32(0x00800002, 0).value());
        assertTrue(Double.isNaN(Ieee11073Float.float32(0x007FFFFF, 0).value()));
        // the same mantissa with another exponent is an ordinary number
        assertEquals(8388607e-1, Ieee11073Float.float32(0xFF7FFFFF, 0).value());
    }

    @Test
    void decimalIsHowTheDeviceWroteIt() {
        assertEquals("8.7", Ieee11073Float.sfloat(0xE366, 0).decimal());
        assertEquals("1E+7", Ieee11073Float.sfloat(0x7001, 0).decimal());
        assertEquals("NaN", Ieee11073Float.sfloat(0x07FF, 0).decimal());
        assertEquals("0x07FF", Ieee11073Float.sfloat(0x07FF, 0).hex());
        assertEquals("0xFE000EB0", Ieee11073Float.float32(0xFE000EB0, 0).hex());
    }
}
