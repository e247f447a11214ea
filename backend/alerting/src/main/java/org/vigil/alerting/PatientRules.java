package org.vigil.alerting;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The rules that apply to one patient: the union of their programs' rules (for a code two programs both limit, the
 * program listed first wins), their own thresholds in place of the programs' code by code, and what the rules need
 * kept per code (window lengths, counts, latest values).
 */
public record PatientRules(List<Rule> rules, Map<String, Duration> keepFor,
                           Map<String, Integer> keepCount, Set<String> latestCodes, AlertConfig.DeviceWatch devices) {

    /**
     * The rules of a tenant's synthetic canary patient, fixed by the platform so that no tenant configuration can
     * stop the canary from coming out as an alert: heart rate above 250/min is critical.
     */
    public static final PatientRules CANARY = new PatientRules(List.of(new Rule.Threshold(
            new Thresholds("8867-4", "/min", null, null, null, 250.0), "canary", SuppressionPolicy.IMMEDIATE)),
            Map.of(), Map.of(), Set.of(), AlertConfig.DeviceWatch.NONE);

    public static PatientRules of(AlertConfig config, PatientSettings settings) {
        List<String> programs = settings.programs().isEmpty() ? config.defaultPrograms() : settings.programs();
        Map<String, Rule> byId = new LinkedHashMap<>();
        Duration noData = null;
        String noDataProgram = null;
        SuppressionPolicy first = null;
        String firstName = null;
        for (String name : programs) {
            Program p = config.programs().get(name);
            if (p == null) {
                continue;  // the program was removed after enrolment; the remaining ones still apply
            }
            if (first == null) {
                first = p.suppression();
                firstName = name;
            }
            p.thresholds().forEach(t -> byId.putIfAbsent("band:" + t.code(), new Rule.Threshold(t, name, p.suppression())));
            p.trends().forEach(w -> byId.putIfAbsent(Rule.trendId(w), new Rule.Trend(w, name, p.suppression())));
            p.combined().forEach(c -> byId.putIfAbsent("combined:" + c.name(), new Rule.Combined(c, name, p.suppression())));
            if (p.noDataAfter() != null && (noData == null || p.noDataAfter().compareTo(noData) < 0)) {
                noData = p.noDataAfter();
                noDataProgram = name;
            }
        }
        for (Thresholds t : settings.overrides()) {
            byId.put("band:" + t.code(), new Rule.Threshold(t, firstName == null ? "patient" : firstName,
                    first == null ? SuppressionPolicy.IMMEDIATE : first));
        }
        if (noData != null) {
            byId.put("no-data", new Rule.NoData(noData, noDataProgram));
        }
        Map<String, Duration> keepFor = new HashMap<>();
        Map<String, Integer> keepCount = new HashMap<>();
        Set<String> latest = new TreeSet<>();
        for (Rule r : byId.values()) {
            if (r instanceof Rule.Trend t) {
                keepFor.merge(t.rule().code(), t.rule().keepFor(), (a, b) -> a.compareTo(b) >= 0 ? a : b);
                keepCount.merge(t.rule().code(), t.rule().keepCount(), Math::max);
            } else if (r instanceof Rule.Combined c) {
                latest.addAll(c.rule().codes());
            }
        }
        return new PatientRules(List.copyOf(new ArrayList<>(byId.values())), Map.copyOf(keepFor),
                Map.copyOf(keepCount), Set.copyOf(latest), config.devices());
    }

    /** The rule with this id, if it still applies. Device-watch rules exist for every device of the patient. */
    public java.util.Optional<Rule> rule(String id) {
        if (id.startsWith(Rule.DeviceSilent.PREFIX) && devices.silentAfter() != null) {
            return device(id, Rule.DeviceSilent.PREFIX).map(d -> new Rule.DeviceSilent(d, devices.silentAfter()));
        }
        if (id.startsWith(Rule.BatteryLow.PREFIX) && devices.batteryBelowPercent() != null) {
            return device(id, Rule.BatteryLow.PREFIX).map(d -> new Rule.BatteryLow(d, devices.batteryBelowPercent()));
        }
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }

    private static java.util.Optional<java.util.UUID> device(String id, String prefix) {
        try {
            return java.util.Optional.of(java.util.UUID.fromString(id.substring(prefix.length())));
        } catch (IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
