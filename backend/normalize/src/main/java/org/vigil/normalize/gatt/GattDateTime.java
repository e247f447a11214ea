package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.Optional;

/**
 * The GATT Date Time field (7 bytes: year uint16, month, day, hours, minutes, seconds) as the device's clock gave
 * it: local time, no zone. A year, month or day of 0 means the device does not know the date.
 */
public record GattDateTime(int year, int month, int day, int hours, int minutes, int seconds) {

    /** The device knows the date (year, month and day are all set). */
    public boolean isKnown() {
        return year != 0 && month != 0 && day != 0;
    }

    /** The local date and time, or empty when the device does not know it. Call only on a valid value. */
    public Optional<LocalDateTime> local() {
        return isKnown() ? Optional.of(LocalDateTime.of(year, month, day, hours, minutes, seconds)) : Optional.empty();
    }

    /** What makes these fields no date and time, or null when they are one (possibly an unknown one). */
    @Nullable
    String invalidity() {
        if (year != 0 && (year < 1582 || year > 9999)) {
            return "year " + year + " is outside 1582–9999 (0 = unknown)";
        }
        if (month > 12) {
            return "month " + month + " is outside 1–12 (0 = unknown)";
        }
        if (day > 31) {
            return "day " + day + " is outside 1–31 (0 = unknown)";
        }
        if (hours > 23 || minutes > 59 || seconds > 59) {
            return String.format("%02d:%02d:%02d is not a time of day", hours, minutes, seconds);
        }
        if (isKnown()) {
            try {
                LocalDate.of(year, month, day);
            } catch (DateTimeException e) {
                return month + "/" + day + " is not a day of " + year;
            }
        }
        return null;
    }

    @Override
    public String toString() {
        return String.format("%04d-%02d-%02dT%02d:%02d:%02d", year, month, day, hours, minutes, seconds);
    }
}
