package org.vigil.bench;

import org.vigil.alerting.Severity;
import org.vigil.alerting.Suppressor.Change;

import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * What one replay put in front of people: the alerts opened (OPENED and REOPENED: each is one more alert someone
 * must read), their spread over patient-days, and their split by severity, program and rule kind.
 *
 * @param bySeverity the severity an alert opened with; {@code escalated} counts the alerts that turned critical
 *                   later, without which the critical rows mislead: without suppression a warning often opens an
 *                   alert that the next, critical, value escalates; with it, that warning may be held back or fall
 *                   into a cooling alert, and the critical value opens or reopens the alert as critical
 * @param p50 nearest-rank percentiles over every patient-day of the window, the quiet ones included: fatigue is
 *            felt per patient and day, and a mean hides the patients who alert all day
 */
record FatigueReport(long alerts, double meanPerPatientDay, int p50, int p95, int max, Map<String, Long> bySeverity,
                     long escalated, Map<String, Long> byProgram, Map<String, Long> byKind) {

    static final List<String> KINDS = List.of("band", "rise", "mean", "combined", "no-data");

    /** @param start the window's first instant; every change lies in {@code [start, start + days)} */
    static FatigueReport of(List<PatientChange> log, int patients, Instant start, int days) {
        int[] perPatientDay = new int[patients * days];
        Map<String, Long> bySeverity = new HashMap<>();
        Map<String, Long> byProgram = new HashMap<>();
        Map<String, Long> byKind = new HashMap<>();
        long alerts = 0;
        long escalated = 0;
        for (PatientChange c : log) {
            escalated += c.change().change() == Change.ESCALATED ? 1 : 0;
            if (!c.opensAlert()) {
                continue;
            }
            alerts++;
            int day = (int) Objects.checkIndex(Duration.between(start, c.change().at()).toDays(), days);
            perPatientDay[c.patient() * days + day]++;
            bySeverity.merge(c.change().severity().label(), 1L, Long::sum);
            byProgram.merge(c.change().program(), 1L, Long::sum);
            byKind.merge(c.ruleKind(), 1L, Long::sum);
        }
        int[] sorted = perPatientDay.clone();
        Arrays.sort(sorted);
        return new FatigueReport(alerts, (double) alerts / sorted.length, nearestRank(sorted, 50), nearestRank(sorted, 95),
                sorted[sorted.length - 1], Map.copyOf(bySeverity), escalated, Map.copyOf(byProgram), Map.copyOf(byKind));
    }

    /** The smallest value that at least {@code p} % of the (sorted) values do not exceed. */
    static int nearestRank(int[] sorted, int p) {
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, rank - 1)];
    }

    /** A (with suppression) and B (without) side by side, with B/A: how many alerts suppression spares people. */
    static String table(FatigueReport a, FatigueReport b, List<String> programs) {
        StringBuilder t = new StringBuilder();
        row(t, "", "", "A: suppressed", "B: unsuppressed", "B/A");
        row(t, "alerts opened", "", count(a.alerts), count(b.alerts), ratio(a.alerts, b.alerts));
        row(t, "per patient-day", "mean", String.format(Locale.ROOT, "%.3f", a.meanPerPatientDay),
                String.format(Locale.ROOT, "%.3f", b.meanPerPatientDay), ratio(a.meanPerPatientDay, b.meanPerPatientDay));
        row(t, "", "p50", count(a.p50), count(b.p50), "");
        row(t, "", "p95", count(a.p95), count(b.p95), "");
        row(t, "", "max", count(a.max), count(b.max), "");
        section(t, "by severity", Arrays.stream(Severity.values()).map(Severity::label).toList(), a.bySeverity, b.bySeverity);
        row(t, "", "escalated", count(a.escalated), count(b.escalated), ratio(a.escalated, b.escalated));
        section(t, "by program", programs, a.byProgram, b.byProgram);
        section(t, "by rule kind", KINDS, a.byKind, b.byKind);
        return t.toString();
    }

    private static void section(StringBuilder t, String title, List<String> labels, Map<String, Long> a, Map<String, Long> b) {
        for (int i = 0; i < labels.size(); i++) {
            long x = a.getOrDefault(labels.get(i), 0L);
            long y = b.getOrDefault(labels.get(i), 0L);
            row(t, i == 0 ? title : "", labels.get(i), count(x), count(y), ratio(x, y));
        }
    }

    private static void row(StringBuilder t, String section, String label, String a, String b, String ratio) {
        t.append(String.format(Locale.ROOT, "%-16s %-14s %15s %17s %8s%n", section, label, a, b, ratio));
    }

    private static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    static String ratio(double a, double b) {
        if (a == 0) {
            return b == 0 ? "–" : "∞";
        }
        return String.format(Locale.ROOT, "%.2f", b / a);
    }
}
