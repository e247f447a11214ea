package org.vigil.ui.chart;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrendChartTest {
    private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

    private static List<TrendChart.Point> points(int n, Duration step, double base) {
        List<TrendChart.Point> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new TrendChart.Point(T0.plus(step.multipliedBy(i)), base - 3, base + 3, base, 2));
        }
        return out;
    }

    private static TrendChart.Spec spec(List<TrendChart.Line> lines, List<TrendChart.Limits> limits, List<TrendChart.Marker> markers) {
        return new TrendChart.Spec("Blood pressure", "mmHg", T0, T0.plus(Duration.ofDays(7)), Duration.ofHours(1), lines, limits,
                markers, ZoneOffset.UTC);
    }

    @Test
    void drawsEachSeriesWithItsOwnDashAndLabelledLimits() {
        String svg = TrendChart.svg(spec(List.of(new TrendChart.Line("Systolic", points(50, Duration.ofHours(1), 150)),
                        new TrendChart.Line("Diastolic", points(50, Duration.ofHours(1), 90))),
                List.of(new TrendChart.Limits("Systolic", null, 90.0, 160.0, 180.0), new TrendChart.Limits("Diastolic", null, null, 100.0, 120.0)),
                List.of(new TrendChart.Marker(T0.plus(Duration.ofHours(10)), "critical", "critical: 185 above 180"))));
        assertTrue(svg.startsWith("<svg") && svg.endsWith("</svg>"));
        assertTrue(svg.contains("class=\"series s0\" data-label=\"Systolic\""));
        assertTrue(svg.contains("stroke-dasharray=\"7 4\""), "the second series is not dashed");
        assertTrue(svg.contains("Systolic limit 160") && svg.contains("Diastolic critical 120"), "limits must be labelled by series");
        // two sets of limits: no shaded bands, which would shade one series' normal range as the other's warning
        assertFalse(svg.contains("class=\"band"));
        assertTrue(svg.contains("<title>critical: 185 above 180</title>"));
        assertTrue(svg.contains("aria-label=\"Blood pressure, 200 readings; Systolic latest 150 mmHg; Diastolic latest 90 mmHg; 1 alerts\""));
    }

    @Test
    void limitLabelsCloseTogetherDoNotOverlap() {
        // the diastolic high (100) and the systolic low (90) are a few pixels apart once systolic ranges 60–290
        List<TrendChart.Point> wide = List.of(new TrendChart.Point(T0, 60, 290, 150, 2));
        String svg = TrendChart.svg(spec(List.of(new TrendChart.Line("Systolic", wide),
                        new TrendChart.Line("Diastolic", points(50, Duration.ofHours(1), 80))),
                List.of(new TrendChart.Limits("Systolic", null, 90.0, 160.0, 180.0), new TrendChart.Limits("Diastolic", null, null, 100.0, 120.0)),
                List.of()));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(
                "<text class=\"limit-label\" x=\"([0-9.]+)\" y=\"([0-9.]+)\" text-anchor=\"(start|end)\">([^<]+)</text>").matcher(svg);
        List<double[]> boxes = new ArrayList<>();   // x from, x to, baseline
        while (m.find()) {
            double x = Double.parseDouble(m.group(1));
            double width = m.group(4).length() * 6.0;
            boxes.add(m.group(3).equals("start") ? new double[]{x, x + width, Double.parseDouble(m.group(2))}
                    : new double[]{x - width, x, Double.parseDouble(m.group(2))});
        }
        assertEquals(5, boxes.size(), svg);
        assertTrue(svg.contains("text-anchor=\"start\">Diastolic limit 100<"), "a crowded label moves to the left end: " + svg);
        for (int i = 0; i < boxes.size(); i++) {
            for (int j = i + 1; j < boxes.size(); j++) {
                double[] a = boxes.get(i);
                double[] c = boxes.get(j);
                boolean apart = a[1] <= c[0] || c[1] <= a[0] || Math.abs(a[2] - c[2]) >= 14;
                assertTrue(apart, "labels " + i + " and " + j + " overlap: " + svg);
            }
        }
    }

    @Test
    void oneLimitedSeriesGetsShadedBands() {
        String svg = TrendChart.svg(spec(List.of(new TrendChart.Line("Weight", points(10, Duration.ofHours(1), 80))),
                List.of(new TrendChart.Limits("Weight", 40.0, 45.0, 100.0, 120.0)), List.of()));
        assertTrue(svg.contains("class=\"band warning\""));
    }

    @Test
    void aGapBreaksTheLineAndNoDataSaysSo() {
        List<TrendChart.Point> p = new ArrayList<>(points(3, Duration.ofHours(1), 70));
        p.add(new TrendChart.Point(T0.plus(Duration.ofHours(30)), 70, 70, 70, 1));
        assertEquals(1, TrendChart.runs(p, Duration.ofHours(1)).size(), "a day between readings is still one line");
        p.add(new TrendChart.Point(T0.plus(Duration.ofDays(4)), 70, 70, 70, 1));
        assertEquals(2, TrendChart.runs(p, Duration.ofHours(1)).size(), "days without readings break the line");
        String empty = TrendChart.svg(spec(List.of(new TrendChart.Line("Heart rate", List.of())), List.of(), List.of()));
        assertTrue(empty.contains("No readings in this period"));
    }

    @Test
    void textIsEscaped() {
        String svg = TrendChart.svg(spec(List.of(new TrendChart.Line("<b>", points(2, Duration.ofHours(1), 1))), List.of(),
                List.of(new TrendChart.Marker(T0.plusSeconds(60), "warning", "a \"quoted\" & <tagged> summary"))));
        assertFalse(svg.contains("<b>") || svg.contains("<tagged>"));
    }

    @Test
    void ticksSuitThePeriod() {
        assertEquals(6, TrendChart.ticks(T0.plusSeconds(1), T0.plus(Duration.ofDays(7)), ZoneOffset.UTC).size());
        assertTrue(TrendChart.ticks(T0, T0.plus(Duration.ofDays(90)), ZoneOffset.UTC).size() <= 7);
        assertEquals(8, TrendChart.ticks(T0, T0.plus(Duration.ofHours(24)), ZoneOffset.UTC).size());
        assertEquals(2.5, TrendChart.niceStep(2.2));
        assertEquals(50, TrendChart.niceStep(41));
    }
}
