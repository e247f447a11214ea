package org.vigil.bench;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;

/**
 * Order statistics of a set of latencies, in milliseconds. Percentiles are nearest-rank (the smallest value with at
 * least p of the set at or below it), so every figure printed is one that was actually measured: with 300 probes,
 * p99 is the third-largest, not an interpolation.
 */
record Latencies(int count, double p50, double p90, double p95, double p99, double max) {

    static Latencies of(Collection<Duration> latencies) {
        return ofNanos(latencies.stream().mapToLong(Duration::toNanos).toArray());
    }

    static Latencies ofNanos(long[] latencies) {
        long[] nanos = latencies.clone();
        Arrays.sort(nanos);
        if (nanos.length == 0) {
            return new Latencies(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        }
        return new Latencies(nanos.length, rank(nanos, 0.50), rank(nanos, 0.90), rank(nanos, 0.95), rank(nanos, 0.99),
                nanos[nanos.length - 1] / 1e6);
    }

    private static double rank(long[] sorted, double p) {
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }

    static String header(int labelWidth) {
        return String.format(Locale.ROOT, "  %-" + labelWidth + "s %6s %9s %9s %9s %9s", "", "count", "p50 ms", "p90 ms", "p99 ms", "max ms");
    }

    String row(String label, int labelWidth) {
        return String.format(Locale.ROOT, "  %-" + labelWidth + "s %6d %9.1f %9.1f %9.1f %9.1f", label, count, p50, p90, p99, max);
    }

    /** With p95 next to the median: the dashboard's aims are read off these two. */
    static String headerWithP95(int labelWidth) {
        return String.format(Locale.ROOT, "  %-" + labelWidth + "s %6s %9s %9s %9s %9s %9s", "", "count", "p50 ms", "p90 ms", "p95 ms",
                "p99 ms", "max ms");
    }

    String rowWithP95(String label, int labelWidth) {
        return String.format(Locale.ROOT, "  %-" + labelWidth + "s %6d %9.1f %9.1f %9.1f %9.1f %9.1f", label, count, p50, p90, p95, p99, max);
    }
}
