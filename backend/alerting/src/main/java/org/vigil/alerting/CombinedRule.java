package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.VitalSign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several conditions that matter together, e.g. SpO2 below 90 % while the heart rate is above 110/min: the rule
 * fires when the latest value of every code meets its condition and all of them were taken within {@code within}
 * of each other. A value alone may be unremarkable; the combination is the finding.
 */
public record CombinedRule(String name, List<Condition> all, Duration within, boolean critical) {

    public CombinedRule {
        all = List.copyOf(all);
    }

    /** One code above or below a value (exactly at the value does not meet it), in the code's canonical unit. */
    public record Condition(String code, @Nullable Double above, @Nullable Double below) {
        boolean holds(double v) {
            return (above == null || v > above) && (below == null || v < below);
        }
    }

    public Set<String> codes() {
        Set<String> codes = new HashSet<>();
        all.forEach(c -> codes.add(c.code()));
        return codes;
    }

    /** The band the combination puts the patient in, given each code's latest value. */
    public Band judge(Map<String, Sample> latest) {
        Instant first = null;
        Instant last = null;
        for (Condition c : all) {
            Sample s = latest.get(c.code());
            if (s == null || !c.holds(s.value())) {
                return Band.NORMAL;
            }
            first = first == null || s.at().isBefore(first) ? s.at() : first;
            last = last == null || s.at().isAfter(last) ? s.at() : last;
        }
        if (first == null || Duration.between(first, last).compareTo(within) > 0) {
            return Band.NORMAL;
        }
        return critical ? Band.CRITICAL_HIGH : Band.HIGH;
    }

    public List<String> problems(String at) {
        List<String> out = new ArrayList<>();
        if (name == null || !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            out.add(at + ".name: '" + name + "' must be 1–63 characters of a-z, 0-9 and '-'.");
        }
        if (all.size() < 2) {
            out.add(at + ".all: a combined rule needs at least two conditions (one condition is a threshold).");
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < all.size(); i++) {
            Condition c = all.get(i);
            String field = at + ".all[" + i + "]";
            VitalSign sign = VitalSign.byCode(c.code()).orElse(null);
            if (sign == null || sign.isPanel()) {
                out.add(field + ".code: '" + c.code() + "' is not a single-value LOINC code Vigil knows.");
                continue;
            }
            if (!seen.add(c.code())) {
                out.add(field + ".code: " + c.code() + " appears twice; give one range per code.");
            }
            if (c.above() == null && c.below() == null) {
                out.add(field + ": give 'above', 'below' or both.");
            }
            for (Double v : new Double[]{c.above(), c.below()}) {
                if (v != null && (!Double.isFinite(v) || v < sign.min() || v > sign.max())) {
                    out.add(field + (v.equals(c.above()) ? ".above" : ".below") + ": " + v + " " + sign.unit()
                            + " is outside what a " + sign.display().toLowerCase() + " can be (" + sign.min() + "–" + sign.max() + ").");
                }
            }
            if (c.above() != null && c.below() != null && !(c.above() < c.below())) {
                out.add(field + ".below: " + c.below() + " must be above 'above' (" + c.above() + "); no value could meet both.");
            }
        }
        if (within.isNegative() || within.isZero() || within.compareTo(Duration.ofDays(1)) > 0) {
            out.add(at + ".within: " + within + " must be longer than zero and at most one day.");
        }
        return out;
    }
}
