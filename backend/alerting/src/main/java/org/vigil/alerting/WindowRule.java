package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.VitalSign;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/**
 * Rules over a patient's recent values of one code rather than a single reading.
 * <ul>
 *   <li>{@link RiseWithin}: the new value exceeds the lowest of the window before it by more than {@code maxRise}
 *       (heart failure: weight up more than 2 lb in a day, or 5 lb in a week);</li>
 *   <li>{@link MeanOfLast}: the mean of the last {@code n} values (or of those within {@code period}) is outside
 *       the thresholds.</li>
 * </ul>
 */
public sealed interface WindowRule {

    String code();

    /** What the rule needs to keep: how far back. */
    Duration keepFor();

    /** ... and how many values at most. */
    int keepCount();

    /** What is wrong with the rule, each naming its field under {@code at}; empty when it can be used. */
    List<String> problems(String at);

    /**
     * @param recent the patient's recent values of {@link #code()}, including {@code latest}
     * @return the band the rule puts the patient in after {@code latest}
     */
    Band judge(RecentSamples recent, Sample latest);

    /** The quantity the rule judges (the rise, or the mean); NaN while there are not enough values. */
    double observed(RecentSamples recent, Sample latest);

    /** Values of {@code code} rising by more than {@code maxRise} (canonical unit) within {@code window}. */
    record RiseWithin(String code, double maxRise, Duration window, boolean critical) implements WindowRule {
        @Override
        public Duration keepFor() {
            return window;
        }

        @Override
        public int keepCount() {
            return 10_000;
        }

        @Override
        public List<String> problems(String at) {
            List<String> out = knownCode(code, at);
            if (!(maxRise > 0) || Double.isInfinite(maxRise)) {
                out.add(at + ".maxRise: " + maxRise + " must be a positive amount.");
            }
            if (window.isZero() || window.isNegative() || window.compareTo(Duration.ofDays(90)) > 0) {
                out.add(at + ".window: " + window + " must be longer than zero and at most 90 days.");
            }
            return out;
        }

        @Override
        public double observed(RecentSamples recent, Sample latest) {
            OptionalDouble lowest = recent.between(latest.at().minus(window), latest.at()).stream()
                    .mapToDouble(Sample::value).min();
            return lowest.isPresent() ? latest.value() - lowest.getAsDouble() : Double.NaN;
        }

        @Override
        public Band judge(RecentSamples recent, Sample latest) {
            // Stored values are rounded to 1e-6 (Units), so a difference within 1e-9 of the limit is the limit itself,
            // not a breach made of floating-point residue.
            return observed(recent, latest) > maxRise + 1e-9 ? (critical ? Band.CRITICAL_HIGH : Band.HIGH) : Band.NORMAL;
        }
    }

    /** The mean of the last {@code n} values, or of those within {@code period} when it is set, against thresholds. */
    record MeanOfLast(Thresholds thresholds, int n, @Nullable Duration period) implements WindowRule {
        @Override
        public String code() {
            return thresholds.code();
        }

        @Override
        public Duration keepFor() {
            return period == null ? Duration.ofDays(365) : period;
        }

        @Override
        public int keepCount() {
            return n;
        }

        @Override
        public List<String> problems(String at) {
            List<String> out = new ArrayList<>(thresholds.problems(at + ".thresholds"));
            if (n < 2 || n > 1000) {
                out.add(at + ".n: " + n + " must be between 2 and 1000.");
            }
            if (period != null && (period.isZero() || period.isNegative() || period.compareTo(Duration.ofDays(90)) > 0)) {
                out.add(at + ".period: " + period + " must be longer than zero and at most 90 days.");
            }
            return out;
        }

        @Override
        public double observed(RecentSamples recent, Sample latest) {
            List<Sample> window = period == null ? recent.samples()
                    : recent.between(latest.at().minus(period), latest.at().plusNanos(1));
            List<Sample> last = window.size() > n ? window.subList(window.size() - n, window.size()) : window;
            if (last.isEmpty() || (last.size() < n && period == null)) {
                return Double.NaN;  // not enough values yet for a mean of n
            }
            return last.stream().mapToDouble(Sample::value).average().orElse(Double.NaN);
        }

        @Override
        public Band judge(RecentSamples recent, Sample latest) {
            double mean = observed(recent, latest);
            return Double.isNaN(mean) ? Band.NORMAL : thresholds.classify(mean);
        }
    }

    private static List<String> knownCode(String code, String at) {
        List<String> out = new ArrayList<>();
        VitalSign sign = VitalSign.byCode(code).orElse(null);
        if (sign == null || sign.isPanel()) {
            out.add(at + ".code: '" + code + "' is not a single-value LOINC code Vigil knows.");
        }
        return out;
    }
}
