package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import org.vigil.alerting.Suppressor.Change;
import org.vigil.alerting.Suppressor.Phase;
import org.vigil.alerting.Suppressor.State;
import org.vigil.alerting.Suppressor.Step;
import org.vigil.alerting.Thresholds.Side;
import org.vigil.core.Measurement;
import org.vigil.core.Reading;
import org.vigil.core.Units;
import org.vigil.core.VitalSign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Applies a patient's rules to a reading, or to the passing of time, against what the rules remember. Pure apart
 * from the memory it is given: the same readings in the same order give the same alerts, which is what makes a
 * restart, a replay and the with/without-suppression comparison exact.
 */
public final class Evaluator {
    private Evaluator() {
    }

    /**
     * @param judge false while catching up on readings whose effects are already committed: the memory learns the
     *              values (windows, latest, last reading) but no suppression state moves
     */
    public static List<AlertChange> onReading(PatientRules rules, PatientMemory m, Reading r, Duration lateAfter, boolean judge) {
        Map<String, Measurement> byCode = new HashMap<>();
        for (Measurement x : r.measurements()) {
            VitalSign sign = VitalSign.byCode(x.code()).orElse(null);
            if (sign != null && sign.unit().equals(x.unit())) {
                byCode.put(x.code(), x);
                m.remember(x.code(), new Sample(r.effective(), x.value()), rules);
            }
        }
        if (!judge) {
            return List.of();
        }
        boolean late = r.effective().isBefore(r.received().minus(lateAfter));
        List<AlertChange> out = new ArrayList<>();
        for (Rule rule : rules.rules()) {
            if (rule instanceof Rule.Threshold t) {
                judgeThreshold(out, m, t, byCode.get(t.thresholds().code()), r.effective(), late);
            } else if (rule instanceof Rule.Trend t) {
                judgeTrend(out, m, t, byCode.get(t.rule().code()), r.effective(), late);
            } else if (rule instanceof Rule.Combined c) {
                if (c.rule().codes().stream().anyMatch(byCode::containsKey)) {
                    Band band = c.rule().judge(m.latestView());
                    step(out, m, c, Side.HIGH, band, band == Band.NORMAL, Double.NaN, null, null, null, r.effective(), late,
                            () -> describe(c.rule(), m.latestView()));
                }
            } else if (rule instanceof Rule.NoData n && m.state(key(n, Side.HIGH)).phase() != Phase.ARMED
                    && m.lastReadingAt() != null && !m.lastReadingAt().isBefore(r.received().minus(n.after()))) {
                // A reading ends a no-data alert when, as of its arrival, the patient is no longer silent for the
                // limit: the condition that opened it, reversed. One taken before the alert opened but delivered
                // after it counts (the silence was in the delivery, not in the measuring), so it must get past
                // step()'s guard against old values, which compares with the opening tick; one still older than
                // the limit does not (ending the alert would only have the next tick open another).
                State s = m.state(key(n, Side.HIGH));
                Instant at = s.lastSeen() != null && s.lastSeen().isAfter(r.effective()) ? s.lastSeen() : r.effective();
                step(out, m, n, Side.HIGH, Band.NORMAL, true, Double.NaN, null, null, null, at, late,
                        () -> "Readings arrive again (" + VitalSign.byCode(r.code()).map(VitalSign::display).orElse(r.code())
                                + " at " + r.effective() + ").");
            }
        }
        return out;
    }

    /**
     * Time passing: recovering alerts resolve once they have been back in range long enough, cooldowns end,
     * alerts of rules that no longer apply resolve, and a patient silent for longer than the no-data limit gets
     * a no-data alert.
     *
     * @param watchedSince when the patient's silence started counting if they never sent a reading (enrolment)
     */
    public static List<AlertChange> tick(PatientRules rules, PatientMemory m, Instant now, @Nullable Instant watchedSince) {
        return tick(rules, m, now, watchedSince, null);
    }

    /**
     * @param assigned the devices assigned to the patient now, when known (the device watch's periodic scan): a
     *                 device silent for longer than the tenant's limit gets an alert, and the alerts and memory of a
     *                 device no longer assigned go; null leaves the device watch alone
     */
    public static List<AlertChange> tick(PatientRules rules, PatientMemory m, Instant now, @Nullable Instant watchedSince,
                                         @Nullable Map<UUID, AssignedDevice> assigned) {
        List<AlertChange> out = new ArrayList<>();
        if (assigned != null) {
            m.devices().keySet().stream().filter(d -> !assigned.containsKey(d)).forEach(m::forget);
        }
        for (Map.Entry<String, State> e : m.states().entrySet()) {
            String key = e.getKey();
            State before = e.getValue();
            String ruleId = key.substring(0, key.lastIndexOf('/'));
            Side side = Side.valueOf(key.substring(key.lastIndexOf('/') + 1).toUpperCase());
            Rule rule = rules.rule(ruleId)
                    .filter(r -> !(r instanceof Rule.DeviceRule d) || assigned == null || assigned.containsKey(d.device()))
                    .orElse(null);
            if (rule == null) {
                m.state(key, State.ARMED);
                if (before.phase() == Phase.OPEN || before.phase() == Phase.RECOVERING) {
                    out.add(new AlertChange(key, ruleId, "", side, Change.RESOLVED, before, State.ARMED, null, Double.NaN, null,
                            null, now, false, "The rule no longer applies to this patient (configuration or device assignment changed)."));
                }
                continue;
            }
            Step step = Suppressor.tick(before, rule.policy(), now);
            m.state(key, step.state());
            if (step.change() != Change.NONE) {
                out.add(new AlertChange(key, ruleId, rule.program(), side, step.change(), before, step.state(), null,
                        Double.NaN, null, null, now, false, "Back in range for " + human(rule.policy().resolveAfter()) + "."));
            }
        }
        for (Rule rule : rules.rules()) {
            if (rule instanceof Rule.NoData n && m.state(key(n, Side.HIGH)).phase() == Phase.ARMED) {
                Instant last = m.lastReadingAt() != null ? m.lastReadingAt() : watchedSince;
                if (last != null && !now.isBefore(last.plus(n.after()))) {
                    String since = m.lastReadingAt() != null ? "the last one was taken at " + last : "none since enrolment at " + last;
                    step(out, m, n, Side.HIGH, Band.HIGH, false, Double.NaN, null, null, null, now, false,
                            () -> "No reading for " + human(n.after()) + " or more: " + since + ".");
                }
            }
        }
        Duration silentAfter = rules.devices().silentAfter();
        if (assigned != null && silentAfter != null) {
            for (Map.Entry<UUID, AssignedDevice> d : assigned.entrySet()) {
                Rule.DeviceSilent rule = new Rule.DeviceSilent(d.getKey(), silentAfter);
                DeviceHeard heard = m.heardFrom(d.getKey());
                Instant last = heard != null ? heard.at() : d.getValue().since();
                if (m.state(key(rule, Side.HIGH)).phase() == Phase.ARMED && !now.isBefore(last.plus(silentAfter))) {
                    // Dated when it was last heard from, so that anything it sends after that ends the alert, by
                    // whichever clock stamped it.
                    step(out, m, rule, Side.HIGH, Band.HIGH, false, Double.NaN, null, null, null, last, false,
                            () -> capitalized(d.getValue().label()) + " has sent nothing for " + human(silentAfter) + " or more: "
                                    + (heard != null ? "last heard from at " + last : "nothing since it was assigned at " + last) + ".");
                }
            }
        }
        return out;
    }

    /**
     * A device was heard from: a reading (by the time it was received) or a hub's report about itself. It ends the
     * device's silent alert, and a battery level it reported (or a device's own "battery low" flag) is judged
     * against the tenant's limit. A flag alone only opens: its absence says nothing, as most devices never set it.
     *
     * @param judge false while catching up on messages whose effects are already committed
     */
    public static List<AlertChange> onDevice(PatientRules rules, PatientMemory m, UUID device, String label, Instant at,
                                             @Nullable Double batteryPercent, boolean batteryLowFlag, boolean judge) {
        m.heard(device, at, batteryPercent);
        AlertConfig.DeviceWatch watch = rules.devices();
        if (!judge || (watch.silentAfter() == null && watch.batteryBelowPercent() == null)) {
            return List.of();
        }
        List<AlertChange> out = new ArrayList<>();
        // Every reading passes here: a patient with no alert state at all has no silent device to end.
        if (watch.silentAfter() != null && m.hasStates()) {
            Rule.DeviceSilent silent = new Rule.DeviceSilent(device, watch.silentAfter());
            if (m.state(key(silent, Side.HIGH)).phase() != Phase.ARMED) {
                step(out, m, silent, Side.HIGH, Band.NORMAL, true, Double.NaN, null, null, null, at, false,
                        () -> capitalized(label) + " is sending again (heard from at " + at + ").");
            }
        }
        Double limit = watch.batteryBelowPercent();
        if (limit != null && (batteryPercent != null || batteryLowFlag)) {
            Rule.BatteryLow low = new Rule.BatteryLow(device, limit);
            if (batteryPercent == null) {
                step(out, m, low, Side.LOW, Band.LOW, false, Double.NaN, null, null, limit, at, false,
                        () -> capitalized(label) + " reports a low battery.");
            } else {
                Band band = batteryPercent < limit ? Band.LOW : Band.NORMAL;
                boolean inside = batteryPercent >= limit * (1 + low.policy().hysteresisPercent() / 100);
                step(out, m, low, Side.LOW, band, inside, batteryPercent, null, "%", limit, at, false,
                        () -> capitalized(label) + " battery at " + fmt(batteryPercent) + " %" + (band == Band.LOW
                                ? ", below " + fmt(limit) + " %." : "."));
            }
        }
        return out;
    }

    private static String capitalized(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    public static String key(Rule rule, Side side) {
        return rule.id() + "/" + side.name().toLowerCase();
    }

    private static void judgeThreshold(List<AlertChange> out, PatientMemory m, Rule.Threshold rule,
                                       @Nullable Measurement x, Instant at, boolean late) {
        Thresholds t = rule.thresholds();
        if (x == null || !t.unit().equals(x.unit())) {
            return;  // not measured by this reading, or in another unit: never compared
        }
        for (Side side : Side.values()) {
            Double limit = side == Side.HIGH ? (t.high() != null ? t.high() : t.criticalHigh())
                    : (t.low() != null ? t.low() : t.criticalLow());
            if (limit == null) {
                continue;
            }
            Thresholds.Judgement j = t.judge(side, x.value(), Math.abs(limit) * rule.policy().hysteresisPercent() / 100);
            Double crossed = t.limit(j.band());
            step(out, m, rule, side, j.band(), j.insideMargin(), x.value(), x.code(), x.unit(), crossed, at, late,
                    () -> describe(x.code(), x.value(), x.unit(), j.band(), crossed));
        }
    }

    private static void judgeTrend(List<AlertChange> out, PatientMemory m, Rule.Trend rule, @Nullable Measurement x,
                                   Instant at, boolean late) {
        if (x == null) {
            return;
        }
        WindowRule w = rule.rule();
        Sample latest = new Sample(at, x.value());
        Band band = w.judge(m.window(w.code()), latest);
        double observed = w.observed(m.window(w.code()), latest);
        String display = VitalSign.byCode(w.code()).map(VitalSign::display).orElse(w.code());
        if (w instanceof WindowRule.RiseWithin rise) {
            step(out, m, rule, Side.HIGH, band, band == Band.NORMAL, observed, w.code(), x.unit(), rise.maxRise(), at, late,
                    () -> display + " rose " + fmt(observed) + " " + Units.symbol(x.unit()) + " within " + human(rise.window())
                            + " (more than " + fmt(rise.maxRise()) + " " + Units.symbol(x.unit()) + " is flagged).");
            return;
        }
        WindowRule.MeanOfLast mean = (WindowRule.MeanOfLast) w;
        String what = "Mean of the last " + mean.n() + " " + display.toLowerCase() + " values"
                + (mean.period() == null ? "" : " within " + human(mean.period()));
        for (Side side : Side.values()) {
            Band onSide = sideOf(band) == side ? band : Band.NORMAL;
            Double crossed = mean.thresholds().limit(onSide);
            step(out, m, rule, side, onSide, onSide == Band.NORMAL, observed, w.code(), x.unit(), crossed, at, late,
                    () -> what + " is " + fmt(observed) + " " + Units.symbol(x.unit()) + (crossed == null ? "." : ", " + beyond(onSide) + " " + fmt(crossed) + "."));
        }
    }

    private static void step(List<AlertChange> out, PatientMemory m, Rule rule, Side side, Band band, boolean insideMargin,
                             double value, @Nullable String code, @Nullable String unit, @Nullable Double limit, Instant at,
                             boolean late, Supplier<String> summary) {
        // The summary is only written when something changed, which is rarely: building it for every reading was a
        // quarter of the evaluator's CPU (ops/bench alerts, JFR).
        String key = key(rule, side);
        State before = m.state(key);
        // An old value (an overnight upload, a late packet) must not start the recovery of a key that has newer
        // values; an old breach still counts.
        if (band == Band.NORMAL && before.lastSeen() != null && at.isBefore(before.lastSeen())) {
            return;
        }
        Step s = Suppressor.onReading(before, rule.policy(), band, value, at, insideMargin);
        m.state(key, s.state());
        if (s.change() != Change.NONE) {
            out.add(new AlertChange(key, rule.id(), rule.program(), side, s.change(), before, s.state(), code, value, unit,
                    limit, at, late, summary.get()));
        }
    }

    private static Side sideOf(Band b) {
        return b == Band.LOW || b == Band.CRITICAL_LOW ? Side.LOW : Side.HIGH;
    }

    private static String describe(String code, double value, String unit, Band band, @Nullable Double limit) {
        String display = VitalSign.byCode(code).map(VitalSign::display).orElse(code);
        return display + " " + fmt(value) + " " + Units.symbol(unit) + (limit == null ? " is in range." : " is " + beyond(band) + " " + fmt(limit) + ".");
    }

    private static String describe(CombinedRule c, Map<String, Sample> latest) {
        StringBuilder b = new StringBuilder(c.name()).append(": ");
        for (int i = 0; i < c.all().size(); i++) {
            CombinedRule.Condition cond = c.all().get(i);
            VitalSign sign = VitalSign.byCode(cond.code()).orElseThrow();
            Sample s = latest.get(cond.code());
            b.append(i == 0 ? "" : ", ").append(sign.display()).append(' ')
                    .append(s == null ? "not measured" : fmt(s.value()) + " " + Units.symbol(sign.unit()))
                    .append(cond.above() != null ? " (over " + fmt(cond.above()) + ")" : "")
                    .append(cond.below() != null ? " (under " + fmt(cond.below()) + ")" : "");
        }
        return b.append(" within ").append(human(c.within())).append('.').toString();
    }

    private static String beyond(Band b) {
        return switch (b) {
            case CRITICAL_LOW -> "below the critical limit";
            case LOW -> "below the low limit";
            case HIGH -> "above the high limit";
            case CRITICAL_HIGH -> "above the critical limit";
            case NORMAL -> "within";
        };
    }

    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "–";
        }
        String s = String.format(java.util.Locale.ROOT, "%.3f", v);
        return s.replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** 90 s → "1 min 30 s", 1 day → "1 d": for sentences people read. */
    public static String human(Duration d) {
        if (d.isZero()) {
            return "0 s";
        }
        StringBuilder b = new StringBuilder();
        long days = d.toDays();
        long hours = d.toHoursPart();
        long minutes = d.toMinutesPart();
        long seconds = d.toSecondsPart();
        if (days > 0) {
            b.append(days).append(" d ");
        }
        if (hours > 0) {
            b.append(hours).append(" h ");
        }
        if (minutes > 0) {
            b.append(minutes).append(" min ");
        }
        if (seconds > 0) {
            b.append(seconds).append(" s ");
        }
        return b.toString().strip();
    }
}
