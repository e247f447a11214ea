package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A care program's rules (hypertension, heart failure, diabetes, COPD, …): thresholds per code or component,
 * trends over recent values, combined conditions, how long a patient may go without a reading, and how noisy its
 * alerts may be. Patients are enrolled in programs; their own thresholds override a program's code by code.
 *
 * @param noDataAfter no reading from an enrolled patient for this long opens a no-data alert; null = not watched
 */
public record Program(String name, List<Thresholds> thresholds, List<WindowRule> trends, List<CombinedRule> combined,
                      @Nullable Duration noDataAfter, SuppressionPolicy suppression) {

    public Program {
        thresholds = List.copyOf(thresholds);
        trends = List.copyOf(trends);
        combined = List.copyOf(combined);
    }

    public List<String> problems(String at) {
        List<String> out = new ArrayList<>(Thresholds.problems(thresholds, at, "this program"));
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < trends.size(); i++) {
            String field = at + ".trends[" + i + "]";
            out.addAll(trends.get(i).problems(field));
            if (!ids.add(Rule.trendId(trends.get(i)))) {
                out.add(field + ": the same trend is already defined in this program.");
            }
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < combined.size(); i++) {
            String field = at + ".combined[" + i + "]";
            out.addAll(combined.get(i).problems(field));
            if (!names.add(combined.get(i).name())) {
                out.add(field + ".name: '" + combined.get(i).name() + "' is already used in this program.");
            }
        }
        if (noDataAfter != null && (noDataAfter.compareTo(Duration.ofMinutes(15)) < 0 || noDataAfter.compareTo(Duration.ofDays(30)) > 0)) {
            out.add(at + ".noDataAfter: " + noDataAfter + " must be between 15 minutes and 30 days.");
        }
        out.addAll(suppression.problems(at + ".suppression"));
        if (thresholds.isEmpty() && trends.isEmpty() && combined.isEmpty() && noDataAfter == null) {
            out.add(at + ": the program has no rules; give thresholds, trends, combined rules or noDataAfter.");
        }
        return out;
    }
}
