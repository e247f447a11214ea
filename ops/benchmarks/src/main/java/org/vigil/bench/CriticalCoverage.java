package org.vigil.bench;

import org.vigil.alerting.Severity;
import org.vigil.alerting.Suppressor.Change;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Whether suppression ever hid a critical value. Every change of run B (no suppression) that raised or kept a
 * CRITICAL alert — every reading judged critical, or breaching while its alert already was — must, in run A, fall
 * inside an alert of the same patient and rule (either side of its band) that was open and already critical at
 * that instant. Judged from the two alert logs only, i.e. from what people were shown, not from evaluator state.
 *
 * @param episodes B's critical alerts: without suppression, each is a maximal run of consecutive breaches of one key
 * @param readings B's critical changes, one per reading and rule
 * @param missing  the critical changes of B that A did not cover, in log order
 */
record CriticalCoverage(int episodes, int episodesCovered, int readings, List<PatientChange> missing) {

    static CriticalCoverage check(List<PatientChange> a, List<PatientChange> b) {
        Map<String, List<Alert>> aByRule = new HashMap<>();
        for (Alert x : alerts(a)) {
            aByRule.computeIfAbsent(x.ruleKey, k -> new ArrayList<>()).add(x);
        }
        int episodes = 0;
        int episodesCovered = 0;
        int readings = 0;
        List<PatientChange> missing = new ArrayList<>();
        for (Alert episode : alerts(b)) {
            if (episode.critical.isEmpty()) {
                continue;
            }
            episodes++;
            int missedBefore = missing.size();
            for (PatientChange c : episode.critical) {
                readings++;
                Instant at = c.change().at();
                if (aByRule.getOrDefault(episode.ruleKey, List.of()).stream().noneMatch(x -> x.criticalAt(at))) {
                    missing.add(c);
                }
            }
            episodesCovered += missing.size() == missedBefore ? 1 : 0;
        }
        return new CriticalCoverage(episodes, episodesCovered, readings, List.copyOf(missing));
    }

    String report(int listAtMost) {
        StringBuilder t = new StringBuilder(String.format(Locale.ROOT,
                "Critical coverage (each critical change of B inside an open critical alert of A, same patient and rule):%n"
                        + "  episodes %,9d in B, %,9d covered in A%n  readings %,9d in B, %,9d covered in A%n",
                episodes, episodesCovered, readings, readings - missing.size()));
        t.append(missing.isEmpty() ? "  missing  none\n" : String.format(Locale.ROOT, "  missing  %,d:%n", missing.size()));
        missing.stream().limit(listAtMost).forEach(c -> t.append(String.format(Locale.ROOT, "    patient %-5d %-22s %-26s %s%n",
                c.patient(), c.change().key(), c.change().at(), c.change().summary())));
        if (missing.size() > listAtMost) {
            t.append(String.format(Locale.ROOT, "    … and %,d more%n", missing.size() - listAtMost));
        }
        return t.toString();
    }

    /** One alert as its log tells it, from OPENED or REOPENED to RESOLVED (null while still open). */
    private static final class Alert {
        final String ruleKey;
        final List<PatientChange> critical = new ArrayList<>();
        Instant criticalFrom;
        Instant resolvedAt;

        Alert(String ruleKey) {
            this.ruleKey = ruleKey;
        }

        boolean criticalAt(Instant t) {
            return criticalFrom != null && !t.isBefore(criticalFrom) && (resolvedAt == null || t.isBefore(resolvedAt));
        }
    }

    /**
     * The alerts of a log. A CRITICAL severity stays so until the alert resolves (it is the worst band seen while
     * open), so the first critical change marks when the alert became critical.
     */
    private static List<Alert> alerts(List<PatientChange> log) {
        Map<String, Alert> open = new HashMap<>();
        List<Alert> all = new ArrayList<>();
        for (PatientChange c : log) {
            if (c.change().change() == Change.RESOLVED) {
                Alert x = open.remove(c.alertKey());
                if (x != null) {
                    x.resolvedAt = c.change().at();
                }
                continue;
            }
            Alert x = c.opensAlert() ? null : open.get(c.alertKey());
            if (x == null) {
                x = new Alert(c.ruleKey());
                open.put(c.alertKey(), x);
                all.add(x);
            }
            if (c.change().severity() == Severity.CRITICAL) {
                x.criticalFrom = x.criticalFrom == null ? c.change().at() : x.criticalFrom;
                x.critical.add(c);
            }
        }
        return all;
    }
}
