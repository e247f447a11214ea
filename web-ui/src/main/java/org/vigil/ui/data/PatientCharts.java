package org.vigil.ui.data;

import jakarta.inject.Singleton;
import org.vigil.alerting.Alerts;
import org.vigil.alerting.Thresholds;
import org.vigil.core.TenantId;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.Series;
import org.vigil.telemetry.SeriesPoint;
import org.vigil.telemetry.StoredReading;
import org.vigil.ui.chart.TrendChart;
import org.vigil.ui.format.Values;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A patient's trend charts for a period: one per vital measured (blood pressure's two components share one),
 * aggregated in the telemetry store into about {@value #BUCKETS} buckets whatever the period, so a 90-day chart
 * costs what a day's does.
 */
@Singleton
public class PatientCharts {
    static final int BUCKETS = 150;
    private static final List<Duration> STEPS = List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(10),
            Duration.ofMinutes(15), Duration.ofMinutes(30), Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3),
            Duration.ofHours(6), Duration.ofHours(12), Duration.ofDays(1), Duration.ofDays(2), Duration.ofDays(7));

    private final ReadingHistory history;
    private final PatientRoster roster;

    public PatientCharts(ReadingHistory history, PatientRoster roster) {
        this.history = history;
        this.roster = roster;
    }

    public record Chart(String code, String title, String svg, int readings) {
    }

    /** The vitals this patient has readings of, as chart codes (a panel's code stands for its components). */
    public List<String> vitals(TenantId tenant, UUID patient) {
        Map<String, Boolean> codes = new LinkedHashMap<>();
        // from the latest-value rollup: latest() reads the patient's whole history (330 ms of a 90-day page in the bench)
        for (StoredReading r : history.latestFor(tenant, List.of(patient)).getOrDefault(patient, List.of())) {
            codes.put(r.panel() == null || r.panel().isEmpty() ? r.code() : r.panel(), true);
        }
        codes.remove("8478-0");
        return List.copyOf(codes.keySet());
    }

    public List<Chart> charts(TenantId tenant, UUID patient, Instant from, Instant to, List<Alerts.AlertView> alerts, ZoneId zone) {
        Map<String, Thresholds> limits = roster.thresholds(tenant, patient);
        List<Chart> out = new ArrayList<>();
        for (String code : vitals(tenant, patient)) {
            out.add(chart(tenant, patient, code, from, to, limits, alerts, zone));
        }
        return out;
    }

    public Chart chart(TenantId tenant, UUID patient, String code, Instant from, Instant to, Map<String, Thresholds> limits,
                       List<Alerts.AlertView> alerts, ZoneId zone) {
        Duration bucket = bucket(Duration.between(from, to));
        List<Series> series = history.series(tenant, patient, code, from, to, bucket);
        List<TrendChart.Line> lines = new ArrayList<>();
        List<TrendChart.Limits> bands = new ArrayList<>();
        List<String> codes = new ArrayList<>();
        String unit = "";
        int readings = 0;
        for (Series s : series) {
            List<TrendChart.Point> points = new ArrayList<>(s.points().size());
            for (SeriesPoint p : s.points()) {
                points.add(new TrendChart.Point(p.start(), p.min(), p.max(), p.mean(), p.count()));
                readings += p.count();
            }
            lines.add(new TrendChart.Line(Values.name(s.code()), points));
            unit = Values.unit(s.unit());
            codes.add(s.code());
            Thresholds t = limits.get(s.code());
            if (t != null) {
                bands.add(new TrendChart.Limits(Values.name(s.code()), t.criticalLow(), t.low(), t.high(), t.criticalHigh()));
            }
        }
        if (codes.isEmpty()) {
            codes.add(code);
        }
        List<TrendChart.Marker> markers = new ArrayList<>();
        for (Alerts.AlertView a : alerts) {
            if (a.code() != null && (codes.contains(a.code()) || code.equals(a.code()))) {
                markers.add(new TrendChart.Marker(a.openedAt(), a.severity(), a.severity() + ": " + a.summary()));
            }
        }
        String title = Values.name(code);
        String svg = TrendChart.svg(new TrendChart.Spec(title, unit, from, to, bucket, lines, bands, markers, zone));
        return new Chart(code, title, svg, readings);
    }

    /** The smallest round bucket that keeps the chart at about {@value #BUCKETS} points. */
    static Duration bucket(Duration span) {
        for (Duration d : STEPS) {
            if (span.dividedBy(d) <= BUCKETS) {
                return d;
            }
        }
        return STEPS.get(STEPS.size() - 1);
    }
}
