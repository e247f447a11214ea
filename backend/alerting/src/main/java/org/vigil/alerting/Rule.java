package org.vigil.alerting;

import java.util.List;

/**
 * One rule as it applies to a patient, with the suppression policy of the program it came from. Its id is stable
 * and derived from its content, so the suppression key (patient, rule, side) survives restarts and
 * reconfigurations that do not change the rule itself.
 */
public sealed interface Rule {
    String id();

    String program();

    SuppressionPolicy policy();

    /** The codes whose readings this rule judges. */
    List<String> codes();

    record Threshold(Thresholds thresholds, String program, SuppressionPolicy policy) implements Rule {
        @Override
        public String id() {
            return "band:" + thresholds.code();
        }

        @Override
        public List<String> codes() {
            return List.of(thresholds.code());
        }
    }

    record Trend(WindowRule rule, String program, SuppressionPolicy policy) implements Rule {
        @Override
        public String id() {
            return trendId(rule);
        }

        @Override
        public List<String> codes() {
            return List.of(rule.code());
        }
    }

    record Combined(CombinedRule rule, String program, SuppressionPolicy policy) implements Rule {
        @Override
        public String id() {
            return "combined:" + rule.name();
        }

        @Override
        public List<String> codes() {
            return List.copyOf(rule.codes());
        }
    }

    /** No reading from the patient for {@code after}: judged by the clock, not by a reading. */
    record NoData(java.time.Duration after, String program) implements Rule {
        @Override
        public String id() {
            return "no-data";
        }

        @Override
        public SuppressionPolicy policy() {
            return SuppressionPolicy.IMMEDIATE;
        }

        @Override
        public List<String> codes() {
            return List.of();
        }
    }

    static String trendId(WindowRule w) {
        if (w instanceof WindowRule.RiseWithin r) {
            return "rise:" + r.code() + ":" + r.window();
        }
        WindowRule.MeanOfLast m = (WindowRule.MeanOfLast) w;
        return "mean:" + m.code() + ":" + (m.period() == null ? "last" + m.n() : m.period() + ":" + m.n());
    }
}
