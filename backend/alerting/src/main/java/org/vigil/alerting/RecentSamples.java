package org.vigil.alerting;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The recent values of one code for one patient that window rules need, in effective-time order, bounded by the
 * longest window and the largest count any rule asks for. Immutable: adding returns a new value, which is what
 * gets persisted with the stream sequence that produced it. Out-of-order arrivals (an overnight upload) are
 * placed by their own time.
 */
public record RecentSamples(List<Sample> samples) {
    public static final RecentSamples EMPTY = new RecentSamples(List.of());

    public RecentSamples {
        samples = List.copyOf(samples);
    }

    /** With {@code s} added, keeping what lies within {@code keepFor} of the newest sample and at most {@code keepCount}. */
    public RecentSamples with(Sample s, Duration keepFor, int keepCount) {
        List<Sample> all = new ArrayList<>(samples.size() + 1);
        all.addAll(samples);
        all.add(s);
        all.sort(Comparator.comparing(Sample::at));
        Instant newest = all.get(all.size() - 1).at();
        Instant horizon = newest.minus(keepFor);
        List<Sample> kept = all.stream().filter(x -> !x.at().isBefore(horizon)).toList();
        return new RecentSamples(kept.size() > keepCount ? kept.subList(kept.size() - keepCount, kept.size()) : kept);
    }

    /** Samples in [from, to), oldest first. */
    public List<Sample> between(Instant from, Instant to) {
        return samples.stream().filter(x -> !x.at().isBefore(from) && x.at().isBefore(to)).toList();
    }
}
