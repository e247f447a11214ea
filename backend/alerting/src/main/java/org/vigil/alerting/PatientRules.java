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
                           Map<String, Integer> keepCount, Set<String> latestCodes) {

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
                Map.copyOf(keepCount), Set.copyOf(latest));
    }

    /** The rule with this id, if it still applies. */
    public java.util.Optional<Rule> rule(String id) {
        return rules.stream().filter(r -> r.id().equals(id)).findFirst();
    }
}
