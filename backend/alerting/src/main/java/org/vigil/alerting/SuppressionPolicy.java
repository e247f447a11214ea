package org.vigil.alerting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How noisy a rule may be.
 *
 * @param persistReadings open only once this many readings in a row are out of band (1 = at once); a critical
 *                        value opens at once whatever this says: the delay is for noise, not for emergencies
 * @param persistFor      ... or once the breach has lasted this long, whichever comes first (zero = not used)
 * @param hysteresisPercent a value must come back inside the limit by this percentage of the limit to count as
 *                        back in range, so a value hovering at the limit does not flap (a percentage, so that one
 *                        program-wide figure suits mm[Hg], kg and % alike)
 * @param resolveAfter    back in range this long resolves the alert by itself
 * @param cooldown        after a resolution, a new breach within this time reopens the same alert instead of
 *                        opening another
 */
public record SuppressionPolicy(int persistReadings, Duration persistFor, double hysteresisPercent, Duration resolveAfter,
                                Duration cooldown) {

    public static final SuppressionPolicy IMMEDIATE = new SuppressionPolicy(1, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO);

    public List<String> problems(String at) {
        List<String> out = new ArrayList<>();
        if (persistReadings < 1 || persistReadings > 1000) {
            out.add(at + ".persistReadings: " + persistReadings + " must be between 1 and 1000.");
        }
        checkDuration(out, at + ".persistFor", persistFor);
        checkDuration(out, at + ".resolveAfter", resolveAfter);
        checkDuration(out, at + ".cooldown", cooldown);
        if (!(hysteresisPercent >= 0 && hysteresisPercent <= 50)) {
            out.add(at + ".hysteresisPercent: " + hysteresisPercent + " must be between 0 and 50.");
        }
        return out;
    }

    private static void checkDuration(List<String> out, String field, Duration d) {
        if (d.isNegative() || d.compareTo(Duration.ofDays(30)) > 0) {
            out.add(field + ": " + d + " must be between 0 and 30 days.");
        }
    }
}
