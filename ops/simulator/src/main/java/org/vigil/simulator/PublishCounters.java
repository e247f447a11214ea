package org.vigil.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Live counters of one publish run. The publishing thread writes them; a progress reporter may read them from
 * another thread at any time, hence atomics.
 */
public final class PublishCounters {
    private static final int KEPT_FAILURES = 20;

    private final AtomicLong published = new AtomicLong();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();
    private final List<String> failures = new ArrayList<>();
    private final LongSupplier nanoClock;
    private final long startNanos;

    public PublishCounters(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.startNanos = nanoClock.getAsLong();
    }

    public PublishCounters() {
        this(System::nanoTime);
    }

    void published() {
        published.incrementAndGet();
    }

    void acked(boolean duplicate) {
        acked.incrementAndGet();
        if (duplicate) {
            duplicates.incrementAndGet();
        }
    }

    void retried() {
        retries.incrementAndGet();
    }

    void failed(SimMessage message, Throwable cause) {
        failed.incrementAndGet();
        synchronized (failures) {
            if (failures.size() < KEPT_FAILURES) {
                failures.add(message.msgId() + " " + message.subject() + ": " + describe(cause));
            }
        }
    }

    static String describe(Throwable t) {
        Throwable root = t;
        while ((root instanceof java.util.concurrent.ExecutionException
                || root instanceof java.util.concurrent.CompletionException) && root.getCause() != null) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() != null ? " " + root.getMessage() : "");
    }

    public PublishStats snapshot() {
        List<String> kept;
        synchronized (failures) {
            kept = List.copyOf(failures);
        }
        return new PublishStats(published.get(), acked.get(), duplicates.get(), failed.get(), retries.get(),
                (nanoClock.getAsLong() - startNanos) / 1e9, kept);
    }
}
