package org.vigil.ui.format;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** Times as people on a ward say them: "4 min", "3 h 10 min", "2 d"; and exact times for tooltips and tables. */
public final class Ago {
    /** With the zone's short name: a care manager elsewhere than the clinic must not misread the hour. */
    private static final DateTimeFormatter EXACT = DateTimeFormatter.ofPattern("d MMM yyyy HH:mm zzz", Locale.ENGLISH);

    private Ago() {
    }

    public static String since(Instant then, Instant now) {
        Duration d = Duration.between(then, now);
        if (d.isNegative()) {
            return "just now";
        }
        long min = d.toMinutes();
        if (min < 1) {
            return "< 1 min";
        }
        if (min < 60) {
            return min + " min";
        }
        long h = d.toHours();
        if (h < 24) {
            long rest = min - h * 60;
            return rest == 0 || h >= 6 ? h + " h" : h + " h " + rest + " min";
        }
        return d.toDays() + " d";
    }

    public static String exact(Instant t, ZoneId zone) {
        return EXACT.format(t.atZone(zone));
    }
}
