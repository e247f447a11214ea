package org.vigil.core;

import java.util.Map;

/**
 * UCUM codes are for machines ("mm[Hg]", "Cel"); people read their print symbols ("mmHg", "°C"). Data keeps the
 * codes; text for people (alert summaries, the dashboard) uses these.
 */
public final class Units {
    private static final Map<String, String> SYMBOLS = Map.of(
            "mm[Hg]", "mmHg", "Cel", "°C", "[degF]", "°F", "kg/m2", "kg/m²", "[lb_av]", "lb", "{steps}", "steps");

    private Units() {
    }

    /** The print symbol of a UCUM code; a code without a different symbol is its own ("kg", "%", "/min"). */
    public static String symbol(String ucum) {
        return ucum == null ? "" : SYMBOLS.getOrDefault(ucum, ucum);
    }
}
