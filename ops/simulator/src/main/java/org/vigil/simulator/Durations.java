package org.vigil.simulator;

import java.time.Duration;

/** Durations as people type them on a command line; shared by the simulator's and the benchmarks' options. */
public final class Durations {
    private Durations() {
    }

    /** {@code 500ms}, {@code 60s}, {@code 30m}, {@code 12h}, {@code 7d}, a bare number of seconds, or ISO-8601 such as {@code PT1H30M}. */
    public static Duration parse(String text) {
        String s = text.trim();
        if (s.startsWith("P") || s.startsWith("p")) {
            return Duration.parse(s);
        }
        int split = 0;
        while (split < s.length() && Character.isDigit(s.charAt(split))) {
            split++;
        }
        if (split == 0) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 60s, 30m, 12h or 7d");
        }
        long n = Long.parseLong(s.substring(0, split));
        return switch (s.substring(split)) {
            case "ms" -> Duration.ofMillis(n);
            case "s", "" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> throw new IllegalArgumentException("'" + text + "' is not a duration like 500ms, 60s, 30m, 12h or 7d");
        };
    }
}
