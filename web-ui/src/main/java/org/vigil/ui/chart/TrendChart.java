package org.vigil.ui.chart;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * A vital sign's trend as SVG, drawn on the server: one line per series (the mean of each time bucket) inside
 * its min–max envelope, the patient's threshold bands behind, and a marker where each alert opened. Limits are
 * labelled and series differ by dash pattern as well as colour, so nothing depends on seeing colour.
 */
public final class TrendChart {
    static final int W = 900;
    static final int H = 260;
    static final int LEFT = 52;
    static final int RIGHT = 16;
    static final int TOP = 24;
    static final int BOTTOM = 30;
    private static final String[] DASHES = {"", "7 4", "2 3"};

    private TrendChart() {
    }

    /** A bucket of readings: its start, and the min, max and mean of the values in it. */
    public record Point(Instant start, double min, double max, double mean, int count) {
    }

    public record Line(String label, List<Point> points) {
    }

    /** Threshold limits of the vital (any may be absent), in the chart's unit. */
    public record Limits(String label, @Nullable Double criticalLow, @Nullable Double low, @Nullable Double high,
                         @Nullable Double criticalHigh) {
    }

    public record Marker(Instant at, String severity, String text) {
    }

    public record Spec(String title, String unit, Instant from, Instant to, Duration bucket, List<Line> lines,
                       List<Limits> limits, List<Marker> markers, ZoneId zone) {
    }

    public static String svg(Spec s) {
        double[] range = yRange(s);
        double lo = range[0];
        double hi = range[1];
        Scale x = new Scale(s.from().toEpochMilli(), s.to().toEpochMilli(), LEFT, W - RIGHT);
        Scale y = new Scale(lo, hi, H - BOTTOM, TOP);
        StringBuilder b = new StringBuilder(8192);
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"vigil-chart\" viewBox=\"0 0 ").append(W).append(' ').append(H)
                .append("\" role=\"img\" aria-label=\"").append(esc(describe(s))).append("\">");
        b.append("<title>").append(esc(s.title())).append("</title>");
        // limit labels go on top of the series (drawn last), or a line running along a limit hides its label
        List<LimitLabel> labels = new ArrayList<>();
        bands(b, labels, s, y, lo, hi);
        grid(b, s, x, y, lo, hi);
        int i = 0;
        for (Line line : s.lines()) {
            series(b, line, x, y, s.bucket(), DASHES[i % DASHES.length], i);
            i++;
        }
        for (Marker m : s.markers()) {
            if (m.at().isBefore(s.from()) || m.at().isAfter(s.to())) {
                continue;
            }
            double mx = x.at(m.at().toEpochMilli());
            b.append("<g class=\"marker\" data-severity=\"").append(esc(m.severity())).append("\"><title>").append(esc(m.text()))
                    .append("</title><line x1=\"").append(f(mx)).append("\" x2=\"").append(f(mx)).append("\" y1=\"").append(TOP)
                    .append("\" y2=\"").append(H - BOTTOM).append("\"/><path d=\"M").append(f(mx - 5)).append(' ').append(TOP)
                    .append(" L").append(f(mx + 5)).append(' ').append(TOP).append(" L").append(f(mx)).append(' ').append(TOP + 8)
                    .append(" Z\"/></g>");
        }
        if (s.lines().stream().allMatch(l -> l.points().isEmpty())) {
            b.append("<text class=\"empty\" x=\"").append(W / 2).append("\" y=\"").append(H / 2)
                    .append("\" text-anchor=\"middle\">No readings in this period</text>");
        }
        limitLabels(b, labels);
        legend(b, s);
        b.append("</svg>");
        return b.toString();
    }

    private record Scale(double d0, double d1, double r0, double r1) {
        double at(double v) {
            return d1 == d0 ? (r0 + r1) / 2 : r0 + (v - d0) / (d1 - d0) * (r1 - r0);
        }
    }

    static double[] yRange(Spec s) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (Line l : s.lines()) {
            for (Point p : l.points()) {
                lo = Math.min(lo, p.min());
                hi = Math.max(hi, p.max());
            }
        }
        // the nearest limits stay in view, so a value's distance from its threshold can be seen
        for (Limits lim : s.limits()) {
            for (Double v : new Double[]{lim.low(), lim.high()}) {
                if (v != null) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo == Double.POSITIVE_INFINITY) {
            return new double[]{0, 1};
        }
        double pad = Math.max((hi - lo) * 0.08, Math.max(Math.abs(hi) * 0.02, 0.5));
        return new double[]{niceFloor(lo - pad), niceCeil(hi + pad)};
    }

    /** A limit line's label: {@code y} is the line's. */
    private record LimitLabel(double y, String text) {
    }

    /** A 10-unit font with its 3-unit halo (vigil.css), and a little air. */
    private static final double LABEL_HEIGHT = 16;

    /**
     * Above its line at the right end; a label that would overlap the one placed before it (limits close together,
     * such as a diastolic high of 100 and a systolic low of 90) goes to the left end instead, and if that is taken
     * too, under its line.
     */
    private static void limitLabels(StringBuilder b, List<LimitLabel> labels) {
        List<LimitLabel> byY = labels.stream().sorted(Comparator.comparingDouble(LimitLabel::y)).toList();
        double right = Double.NEGATIVE_INFINITY;
        double left = Double.NEGATIVE_INFINITY;
        for (LimitLabel l : byY) {
            boolean atRight = l.y() - right >= LABEL_HEIGHT;
            boolean atLeft = !atRight && l.y() - left >= LABEL_HEIGHT;
            double baseline = atRight || atLeft ? l.y() - 3 : l.y() + 10;
            b.append("<text class=\"limit-label\" x=\"").append(atLeft ? LEFT + 4 : W - RIGHT - 4).append("\" y=\"")
                    .append(f(baseline)).append("\" text-anchor=\"").append(atLeft ? "start" : "end").append("\">")
                    .append(esc(l.text())).append("</text>");
            if (atLeft) {
                left = l.y();
            } else {
                right = atRight ? l.y() : l.y() + LABEL_HEIGHT;
            }
        }
    }

    private static void bands(StringBuilder b, List<LimitLabel> labels, Spec s, Scale y, double lo, double hi) {
        // shaded bands only when one series is limited: two sets (systolic and diastolic) would shade each other's
        // normal range; then the labelled limit lines alone say where each one's limits are
        boolean shade = s.limits().size() == 1;
        for (Limits l : s.limits()) {
            if (shade) {
                band(b, y, l.criticalHigh(), hi, "critical", lo, hi);
                band(b, y, l.high(), l.criticalHigh() == null ? hi : l.criticalHigh(), "warning", lo, hi);
                band(b, y, l.low() == null ? null : (l.criticalLow() == null ? lo : l.criticalLow()), l.low(), "warning", lo, hi);
                band(b, y, l.criticalLow() == null ? null : lo, l.criticalLow(), "critical", lo, hi);
            }
            for (Double v : new Double[]{l.criticalLow(), l.low(), l.high(), l.criticalHigh()}) {
                if (v != null && v >= lo && v <= hi) {
                    double py = y.at(v);
                    String kind = v.equals(l.criticalLow()) || v.equals(l.criticalHigh()) ? "critical" : "warning";
                    b.append("<line class=\"limit ").append(kind).append("\" x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT)
                            .append("\" y1=\"").append(f(py)).append("\" y2=\"").append(f(py)).append("\"/>");
                    labels.add(new LimitLabel(py, (shade ? "" : l.label() + " ") + (kind.equals("critical") ? "critical " : "limit ") + num(v)));
                }
            }
        }
    }

    private static void band(StringBuilder b, Scale y, @Nullable Double from, @Nullable Double to, String kind, double lo, double hi) {
        if (from == null || to == null) {
            return;
        }
        double a = Math.max(lo, Math.min(from, to));
        double c = Math.min(hi, Math.max(from, to));
        if (c <= a) {
            return;
        }
        b.append("<rect class=\"band ").append(kind).append("\" x=\"").append(LEFT).append("\" width=\"").append(W - RIGHT - LEFT)
                .append("\" y=\"").append(f(y.at(c))).append("\" height=\"").append(f(y.at(a) - y.at(c))).append("\"/>");
    }

    private static void grid(StringBuilder b, Spec s, Scale x, Scale y, double lo, double hi) {
        b.append("<g class=\"axis\">");
        double step = niceStep((hi - lo) / 5);
        for (double v = Math.ceil(lo / step) * step; v <= hi + 1e-9; v += step) {
            double py = y.at(v);
            b.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"").append(f(py))
                    .append("\" y2=\"").append(f(py)).append("\"/><text x=\"").append(LEFT - 6).append("\" y=\"").append(f(py + 4))
                    .append("\" text-anchor=\"end\">").append(num(v)).append("</text>");
        }
        b.append("<text x=\"4\" y=\"").append(TOP - 10).append("\" class=\"unit\">").append(esc(s.unit())).append("</text>");
        Duration span = Duration.between(s.from(), s.to());
        for (Instant t : ticks(s.from(), s.to(), s.zone())) {
            double px = x.at(t.toEpochMilli());
            b.append("<line class=\"tick\" x1=\"").append(f(px)).append("\" x2=\"").append(f(px)).append("\" y1=\"").append(H - BOTTOM)
                    .append("\" y2=\"").append(H - BOTTOM + 4).append("\"/><text x=\"").append(f(px)).append("\" y=\"").append(H - 10)
                    .append("\" text-anchor=\"middle\">").append(esc(tickLabel(t, span, s.zone()))).append("</text>");
        }
        b.append("<line class=\"frame\" x1=\"").append(LEFT).append("\" x2=\"").append(W - RIGHT).append("\" y1=\"").append(H - BOTTOM)
                .append("\" y2=\"").append(H - BOTTOM).append("\"/></g>");
    }

    private static void series(StringBuilder b, Line line, Scale x, Scale y, Duration bucket, String dash, int index) {
        List<List<Point>> runs = runs(line.points(), bucket);
        b.append("<g class=\"series s").append(index).append("\" data-label=\"").append(esc(line.label())).append("\">");
        for (List<Point> run : runs) {
            if (run.size() > 1 && run.stream().anyMatch(p -> p.max() > p.min())) {
                StringBuilder area = new StringBuilder();
                for (Point p : run) {
                    area.append(area.length() == 0 ? "M" : " L").append(f(x.at(mid(p, bucket)))).append(' ').append(f(y.at(p.max())));
                }
                for (int i = run.size() - 1; i >= 0; i--) {
                    Point p = run.get(i);
                    area.append(" L").append(f(x.at(mid(p, bucket)))).append(' ').append(f(y.at(p.min())));
                }
                b.append("<path class=\"envelope\" d=\"").append(area).append(" Z\"/>");
            }
            StringBuilder path = new StringBuilder();
            for (Point p : run) {
                path.append(path.length() == 0 ? "M" : " L").append(f(x.at(mid(p, bucket)))).append(' ').append(f(y.at(p.mean())));
            }
            b.append("<path class=\"mean\" d=\"").append(path).append('"');
            if (!dash.isEmpty()) {
                b.append(" stroke-dasharray=\"").append(dash).append('"');
            }
            b.append("/>");
            // few points: show each one, so a single reading is not an invisible line of length zero
            if (line.points().size() <= 60) {
                for (Point p : run) {
                    b.append("<circle r=\"3\" cx=\"").append(f(x.at(mid(p, bucket)))).append("\" cy=\"").append(f(y.at(p.mean())))
                            .append("\"><title>").append(esc(line.label() + " " + num(p.mean())))
                            .append(p.count() > 1 ? esc(" (mean of " + p.count() + ", " + num(p.min()) + "–" + num(p.max()) + ")") : "")
                            .append("</title></circle>");
                }
            }
        }
        b.append("</g>");
    }

    /**
     * Runs of points drawn as one line. A gap longer than two buckets and than two days breaks it: a daily weight is
     * a line even in hourly buckets, but days without any reading show as a gap, not as a line across them.
     */
    static List<List<Point>> runs(List<Point> points, Duration bucket) {
        Duration gap = bucket.multipliedBy(2).compareTo(Duration.ofDays(2)) > 0 ? bucket.multipliedBy(2) : Duration.ofDays(2);
        List<List<Point>> runs = new ArrayList<>();
        List<Point> run = new ArrayList<>();
        Instant prev = null;
        for (Point p : points) {
            if (prev != null && Duration.between(prev, p.start()).compareTo(gap) > 0) {
                runs.add(run);
                run = new ArrayList<>();
            }
            run.add(p);
            prev = p.start();
        }
        if (!run.isEmpty()) {
            runs.add(run);
        }
        return runs;
    }

    private static void legend(StringBuilder b, Spec s) {
        if (s.lines().size() < 2) {
            return;
        }
        int x = LEFT + 8;
        int i = 0;
        for (Line l : s.lines()) {
            b.append("<g class=\"legend s").append(i).append("\"><line class=\"mean\" x1=\"").append(x).append("\" x2=\"").append(x + 22)
                    .append("\" y1=\"").append(TOP + 8).append("\" y2=\"").append(TOP + 8).append('"');
            if (!DASHES[i % DASHES.length].isEmpty()) {
                b.append(" stroke-dasharray=\"").append(DASHES[i % DASHES.length]).append('"');
            }
            b.append("/><text x=\"").append(x + 26).append("\" y=\"").append(TOP + 12).append("\">").append(esc(l.label())).append("</text></g>");
            x += 34 + l.label().length() * 7;
            i++;
        }
    }

    private static long mid(Point p, Duration bucket) {
        return p.start().toEpochMilli() + bucket.toMillis() / 2;
    }

    static List<Instant> ticks(Instant from, Instant to, ZoneId zone) {
        Duration span = Duration.between(from, to);
        ZonedDateTime t = from.atZone(zone);
        List<Instant> out = new ArrayList<>();
        if (span.compareTo(Duration.ofHours(36)) <= 0) {
            long stepH = span.toHours() <= 12 ? 2 : 3;
            ZonedDateTime c = t.truncatedTo(ChronoUnit.HOURS);
            c = c.plusHours((stepH - c.getHour() % stepH) % stepH);
            for (; c.toInstant().isBefore(to); c = c.plusHours(stepH)) {
                if (!c.toInstant().isBefore(from)) {
                    out.add(c.toInstant());
                }
            }
        } else {
            long days = span.toDays();
            int step = days <= 10 ? 1 : days <= 35 ? 5 : days <= 100 ? 14 : 30;
            for (ZonedDateTime c = t.truncatedTo(ChronoUnit.DAYS).plusDays(1); c.toInstant().isBefore(to); c = c.plusDays(step)) {
                out.add(c.toInstant());
            }
        }
        return out;
    }

    private static String tickLabel(Instant t, Duration span, ZoneId zone) {
        String pattern = span.compareTo(Duration.ofHours(36)) <= 0 ? "HH:mm" : span.toDays() <= 10 ? "EEE d" : "d MMM";
        return DateTimeFormatter.ofPattern(pattern, Locale.ENGLISH).format(t.atZone(zone));
    }

    private static String describe(Spec s) {
        StringBuilder d = new StringBuilder(s.title()).append(", ").append(s.lines().stream().mapToInt(l -> l.points().stream()
                .mapToInt(Point::count).sum()).sum()).append(" readings");
        for (Line l : s.lines()) {
            if (!l.points().isEmpty()) {
                Point last = l.points().get(l.points().size() - 1);
                d.append("; ").append(l.label()).append(" latest ").append(num(last.mean())).append(' ').append(s.unit());
            }
        }
        if (!s.markers().isEmpty()) {
            d.append("; ").append(s.markers().size()).append(" alerts");
        }
        return d.toString();
    }

    static double niceStep(double raw) {
        if (raw <= 0 || Double.isNaN(raw)) {
            return 1;
        }
        double mag = Math.pow(10, Math.floor(Math.log10(raw)));
        double n = raw / mag;
        return (n <= 1 ? 1 : n <= 2 ? 2 : n <= 2.5 ? 2.5 : n <= 5 ? 5 : 10) * mag;
    }

    private static double niceFloor(double v) {
        double step = niceStep(Math.abs(v) / 20);
        return Math.floor(v / step) * step;
    }

    private static double niceCeil(double v) {
        double step = niceStep(Math.abs(v) / 20);
        return Math.ceil(v / step) * step;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String f(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
