package org.vigil.simulator;

import java.time.LocalDate;

/**
 * Formats an epoch-millisecond instant as {@code 2026-11-21T07:30:00.250Z}: always exactly three fraction
 * digits, which Instant.toString does not guarantee (it drops ".000" and prints micros when present), and
 * without DateTimeFormatter's cost in the generation hot path.
 */
final class IsoMillis {
    private IsoMillis() {
    }

    static String format(long epochMillis) {
        long day = Math.floorDiv(epochMillis, 86_400_000L);
        int ms = (int) Math.floorMod(epochMillis, 86_400_000L);
        LocalDate date = LocalDate.ofEpochDay(day);
        int year = date.getYear();
        if (year < 0 || year > 9999) {
            throw new IllegalArgumentException("year out of range: " + year);
        }
        char[] c = new char[24];
        put(c, 0, year, 4);
        c[4] = '-';
        put(c, 5, date.getMonthValue(), 2);
        c[7] = '-';
        put(c, 8, date.getDayOfMonth(), 2);
        c[10] = 'T';
        put(c, 11, ms / 3_600_000, 2);
        c[13] = ':';
        put(c, 14, ms / 60_000 % 60, 2);
        c[16] = ':';
        put(c, 17, ms / 1000 % 60, 2);
        c[19] = '.';
        put(c, 20, ms % 1000, 3);
        c[23] = 'Z';
        return new String(c);
    }

    private static void put(char[] c, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            c[i] = (char) ('0' + value % 10);
            value /= 10;
        }
    }
}
