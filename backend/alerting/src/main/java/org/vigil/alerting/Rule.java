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

    /** A rule about one of the patient's devices rather than their vitals (the device watch). */
    sealed interface DeviceRule extends Rule {
        java.util.UUID device();

        @Override
        default String program() {
            return DEVICES;
        }

        @Override
        default List<String> codes() {
            return List.of();
        }
    }

    /** The program name device-watch alerts carry. */
    String DEVICES = "devices";

    /** A device assigned to the patient that has sent nothing for {@code after}. */
    record DeviceSilent(java.util.UUID device, java.time.Duration after) implements DeviceRule {
        static final String PREFIX = "device-silent:";

        @Override
        public String id() {
            return PREFIX + device;
        }

        @Override
        public SuppressionPolicy policy() {
            return SuppressionPolicy.IMMEDIATE;
        }
    }

    /** A device, or the hub it reports through, whose battery is below {@code belowPercent}. */
    record BatteryLow(java.util.UUID device, double belowPercent) implements DeviceRule {
        static final String PREFIX = "battery-low:";
        /** A battery at 19 %, 21 %, 19 % must not open three alerts: back above the limit by a quarter of it. */
        private static final SuppressionPolicy POLICY = new SuppressionPolicy(1, java.time.Duration.ZERO, 25,
                java.time.Duration.ZERO, java.time.Duration.ZERO);

        @Override
        public String id() {
            return PREFIX + device;
        }

        @Override
        public SuppressionPolicy policy() {
            return POLICY;
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
