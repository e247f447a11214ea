package org.vigil.simulator;

import java.io.PrintStream;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Prints a progress line for a publish run every few seconds, with the ack rate over the last interval. */
final class ProgressReporter implements AutoCloseable {
    private final PublishCounters counters;
    private final PrintStream out;
    private final ScheduledExecutorService timer;
    private long lastAcked;
    private double lastSeconds;

    ProgressReporter(PublishCounters counters, PrintStream out, long periodSeconds) {
        this.counters = counters;
        this.out = out;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "vigil-sim-progress");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(this::report, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    }

    private void report() {
        PublishStats s = counters.snapshot();
        double dt = s.elapsedSeconds() - lastSeconds;
        long rate = dt > 0 ? Math.round((s.acked() - lastAcked) / dt) : 0;
        lastAcked = s.acked();
        lastSeconds = s.elapsedSeconds();
        out.println("[" + Math.round(s.elapsedSeconds()) + "s] published=" + s.published() + " acked=" + s.acked()
                + " dup=" + s.duplicates() + " failed=" + s.failed() + " rate=" + rate + "/s");
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
