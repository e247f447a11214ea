package org.vigil.alerting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How noisy a rule may be.
 *
 * @param persistReadings open only once this many readings in a row are out of band (1 = at once)
 * @param persistFor      ... or once the breach has lasted this long, whichever comes first (zero = not used)
 * @param hysteresis      a value must come back inside the limit by this much (in the code's unit) to count as
 *                        back in range, so a value hovering at the limit does not flap
 * @param resolveAfter    back in range this long resolves the alert by itself
 * @param cooldown        after a resolution, a new breach within this time reopens the same alert instead of
 *                        opening another
 */
public record SuppressionPolicy(int persistReadings, Duration persistFor, double hysteresis, Duration resolveAfter,
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
        if (!(hysteresis >= 0) || Double.isInfinite(hysteresis)) {
            out.add(at + ".hysteresis: " + hysteresis + " must be zero or positive.");
        }
        return out;
    }

    private static void checkDuration(List<String> out, String field, Duration d) {
        if (d.isNegative() || d.compareTo(Duration.ofDays(30)) > 0) {
            out.add(field + ": " + d + " must be between 0 and 30 days.");
        }
    }
}
