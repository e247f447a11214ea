package org.vigil.simulator;

/**
 * Deterministic device and patient identifiers. Each one maps the patient index through a bijection
 * (an affine map modulo the identifier's space) offset by a per-tenant salt, so identifiers are unique within a
 * tenant by construction, not by luck, and two tenants' fleets rarely share one.
 */
final class DeviceIdentifiers {
    /**
     * The identifier spaces stay bijective well beyond this (MRN 10^7, MAC 2^24, IMEI moves to the next TAC every
     * 10^6); the cap keeps a fleet, which lives in memory, to a sane size.
     */
    static final int MAX_PATIENTS = 1_000_000;

    private static final char[] HEX = "0123456789ABCDEF".toCharArray();
    private static final long IMEI_TAC_BASE = 35_920_410L;

    private final String tenant;
    private final long salt;

    DeviceIdentifiers(String tenant) {
        this.tenant = tenant;
        this.salt = Mix.hash("vigil-sim:" + tenant);
    }

    String serial(DeviceKind kind, int index) {
        return kind.serialPrefix() + "-" + tenant + "-" + pad(index, 6);
    }

    /** Locally administered prefix AA:BB:CC, then 24 bits that are a bijection of the index. */
    String mac(int index) {
        // an odd multiplier is invertible modulo 2^24
        long low = (index * 0x9E3779L + (salt & 0xFFFFFF)) & 0xFFFFFF;
        char[] c = "AA:BB:CC:00:00:00".toCharArray();
        for (int b = 0; b < 3; b++) {
            int octet = (int) (low >>> (16 - 8 * b)) & 0xFF;
            c[9 + 3 * b] = HEX[octet >>> 4];
            c[10 + 3 * b] = HEX[octet & 0xF];
        }
        return new String(c);
    }

    /** 8-digit TAC, 6-digit serial (a bijection of the index, 7919 is coprime with 10), Luhn check digit. */
    String imei(int index) {
        long tac = IMEI_TAC_BASE + index / 1_000_000;
        long serial = ((index % 1_000_000) * 7919L + Math.floorMod(salt, 1_000_000L)) % 1_000_000L;
        String body = pad(tac, 8) + pad(serial, 6);
        return body + luhnCheckDigit(body);
    }

    /** Epic-style MRN: 'E' and 7 digits (7368787 is coprime with 10, so the map is a bijection below 10^7). */
    String mrn(int index) {
        long v = (index * 7_368_787L + Math.floorMod(salt >>> 8, 10_000_000L)) % 10_000_000L;
        return "E" + pad(v, 7);
    }

    static int luhnCheckDigit(String digits) {
        int sum = 0;
        // doubling starts at the rightmost digit of the body, since the check digit will be appended after it
        for (int i = digits.length() - 1, pos = 0; i >= 0; i--, pos++) {
            int d = digits.charAt(i) - '0';
            if (pos % 2 == 0) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
        }
        return (10 - sum % 10) % 10;
    }

    static boolean luhnValid(String number) {
        return luhnCheckDigit(number.substring(0, number.length() - 1)) == number.charAt(number.length() - 1) - '0';
    }

    static String pad(long v, int width) {
        String s = Long.toString(v);
        return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
    }
}
