package org.vigil.normalize.hl7;

import io.micronaut.core.annotation.Nullable;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * An HL7 v2 DTM value, {@code YYYY[MM[DD[HH[MM[SS[.S[S[S[S]]]]]]]]][+/-ZZZZ]}. The offset is optional in HL7:
 * without it the time is the sender's local time, which only the sender knows, so the caller decides what to
 * assume ({@link #at}).
 *
 * @param offset null when the value carried none
 * @param digits how many of the 14 date/time digits were given (12 = to the minute)
 */
public record Hl7Time(LocalDateTime local, @Nullable ZoneOffset offset, int digits) {

    /** Parses a DTM; fractional seconds beyond nanoseconds are cut. */
    public static Hl7Time parse(String dtm) {
        String s = dtm == null ? "" : dtm.strip();
        int zone = Math.max(s.indexOf('+'), s.indexOf('-'));
        String time = zone < 0 ? s : s.substring(0, zone);
        ZoneOffset offset = zone < 0 ? null : offset(s.substring(zone), dtm);
        int dot = time.indexOf('.');
        String whole = dot < 0 ? time : time.substring(0, dot);
        int n = whole.length();
        if (n < 4 || n > 14 || n % 2 != 0 || !digitsOnly(whole)) {
            throw new DateTimeException("'" + dtm + "' is not an HL7 date/time (YYYYMMDDHHMMSS[+ZZZZ]).");
        }
        int nanos = 0;
        if (dot >= 0) {
            String fraction = time.substring(dot + 1);
            if (n != 14 || fraction.isEmpty() || fraction.length() > 9 || !digitsOnly(fraction)) {
                throw new DateTimeException("'" + dtm + "' has a malformed fraction of a second.");
            }
            nanos = Integer.parseInt((fraction + "000000000").substring(0, 9));
        }
        LocalDateTime local = LocalDateTime.of(part(whole, 0, 4, 0), part(whole, 4, 6, 1), part(whole, 6, 8, 1),
                part(whole, 8, 10, 0), part(whole, 10, 12, 0), part(whole, 12, 14, 0), nanos);
        return new Hl7Time(local, offset, n);
    }

    /** The instant, reading a value without offset in {@code fallback}. */
    public Instant at(ZoneOffset fallback) {
        return local.toInstant(offset == null ? fallback : offset);
    }

    public boolean hasOffset() {
        return offset != null;
    }

    private static ZoneOffset offset(String z, String dtm) {
        if (z.length() != 5 || !digitsOnly(z.substring(1))) {
            throw new DateTimeException("'" + dtm + "' has a malformed time zone offset (expected +HHMM or -HHMM).");
        }
        int hours = Integer.parseInt(z.substring(1, 3));
        int minutes = Integer.parseInt(z.substring(3, 5));
        if (hours > 14 || minutes > 59) {
            throw new DateTimeException("'" + dtm + "' has a time zone offset out of range.");
        }
        int sign = z.charAt(0) == '-' ? -1 : 1;
        return ZoneOffset.ofHoursMinutes(sign * hours, sign * minutes);
    }

    private static int part(String s, int from, int to, int absent) {
        return s.length() >= to ? Integer.parseInt(s.substring(from, to)) : absent;
    }

    private static boolean digitsOnly(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
