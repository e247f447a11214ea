package org.vigil.simulator;

import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Publishes messages to JetStream asynchronously with a bounded window of unacknowledged publishes (a
 * synchronous publish waits a round trip per message: 7–8k msgs/s instead of 40k+). Each message carries its
 * content hash as {@code Nats-Msg-Id}, so a retry, or a rerun of the same backfill, is stored once.
 * <p>
 * A failed attempt is retried with exponential backoff without stalling the rest of the window; a message that
 * fails every attempt is counted and reported in {@link PublishStats}, never dropped silently.
 * <p>
 * It does not create the stream: the backend owns READINGS and its limits. One instance per publishing thread.
 */
public final class JetStreamPublisher {
    public static final String MSG_ID_HEADER = "Nats-Msg-Id";

    private record InFlight(SimMessage message, CompletableFuture<PublishAck> ack, int attempt) {
    }

    private record Retry(SimMessage message, int attempt, long notBeforeMillis) {
    }

    private final JetStream jetStream;
    private final JetStreamManagement management;
    private final PublishSettings settings;
    private final Sleeper sleeper;
    private final LongSupplier clockMillis;
    private final Consumer<String> log;

    public JetStreamPublisher(JetStream jetStream, JetStreamManagement management, PublishSettings settings,
                              Sleeper sleeper, LongSupplier clockMillis, Consumer<String> log) {
        this.jetStream = jetStream;
        this.management = management;
        this.settings = settings;
        this.sleeper = sleeper;
        this.clockMillis = clockMillis;
        this.log = log;
    }

    public JetStreamPublisher(JetStream jetStream, JetStreamManagement management, PublishSettings settings,
                              Consumer<String> log) {
        this(jetStream, management, settings, Sleeper.SYSTEM, System::currentTimeMillis, log);
    }

    /**
     * Waits until some stream captures {@code subject}, polling once a second. The backend may still be starting,
     * and publishing before its stream exists would fail every message with "no responders".
     *
     * @return the name of the stream found
     * @throws IllegalStateException if none appears within {@code timeout}
     */
    public String awaitStream(String subject, Duration timeout) throws InterruptedException {
        long deadline = clockMillis.getAsLong() + timeout.toMillis();
        boolean told = false;
        String lastError = null;
        while (true) {
            try {
                List<String> names = management.getStreamNames(subject);
                if (!names.isEmpty()) {
                    if (told) {
                        log.accept("stream " + names.get(0) + " is there, publishing");
                    }
                    return names.get(0);
                }
                lastError = null;
            } catch (IOException | JetStreamApiException e) {
                lastError = PublishCounters.describe(e);
            }
            if (clockMillis.getAsLong() >= deadline) {
                throw new IllegalStateException("no JetStream stream captures " + subject + " after "
                        + timeout.toSeconds() + "s. The backend creates stream READINGS on vigil.*.ingest.> when it"
                        + " starts: is it running against this NATS server?"
                        + (lastError != null ? " Last error: " + lastError : ""));
            }
            if (!told) {
                log.accept("no JetStream stream captures " + subject + " yet (the backend creates READINGS on"
                        + " vigil.*.ingest.>); waiting up to " + timeout.toSeconds() + "s"
                        + (lastError != null ? " (" + lastError + ")" : ""));
                told = true;
            }
            sleeper.sleep(1000);
        }
    }

    /** Publishes every message of {@code messages}, then waits for all outstanding acks. */
    public PublishStats publish(Iterator<SimMessage> messages, PublishCounters counters) {
        Run run = new Run(counters);
        try {
            while (messages.hasNext()) {
                run.sendDueRetries();
                while (run.outstanding() >= settings.maxInFlight()) {
                    run.settleOldestOrWaitForRetry();
                }
                SimMessage m = messages.next();
                run.pacer.await();
                counters.published();
                run.send(m, 1);
                run.settleCompleted();
            }
            while (run.outstanding() > 0) {
                run.settleOldestOrWaitForRetry();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.abandon(e);
        }
        return counters.snapshot();
    }

    /** The mutable state of one {@link #publish} call, kept off the publisher so the publisher stays reusable. */
    private final class Run {
        private final ArrayDeque<InFlight> window = new ArrayDeque<>();
        private final PriorityQueue<Retry> retries =
                new PriorityQueue<>((a, b) -> Long.compare(a.notBeforeMillis(), b.notBeforeMillis()));
        private final Pacer pacer = Pacer.of(settings.ratePerSecond());
        private final PublishCounters counters;

        Run(PublishCounters counters) {
            this.counters = counters;
        }

        int outstanding() {
            return window.size() + retries.size();
        }

        void send(SimMessage m, int attempt) {
            CompletableFuture<PublishAck> ack;
            try {
                Headers headers = new Headers().put(MSG_ID_HEADER, m.msgId());
                ack = jetStream.publishAsync(m.subject(), headers, m.payload());
            } catch (RuntimeException e) {
                // e.g. the connection is closed: the attempt failed like an ack that never came
                ack = CompletableFuture.failedFuture(e);
            }
            window.addLast(new InFlight(m, ack, attempt));
        }

        /** Records acks that already arrived, oldest first, without blocking. */
        void settleCompleted() throws InterruptedException {
            while (!window.isEmpty() && window.peekFirst().ack().isDone()) {
                settle(window.pollFirst());
            }
        }

        void settleOldestOrWaitForRetry() throws InterruptedException {
            if (!window.isEmpty()) {
                settle(window.pollFirst());
            } else {
                long wait = retries.peek().notBeforeMillis() - clockMillis.getAsLong();
                if (wait > 0) {
                    sleeper.sleep(wait);
                }
            }
            sendDueRetries();
        }

        void sendDueRetries() {
            long now = clockMillis.getAsLong();
            while (!retries.isEmpty() && retries.peek().notBeforeMillis() <= now) {
                Retry r = retries.poll();
                send(r.message(), r.attempt());
            }
        }

        private void settle(InFlight f) throws InterruptedException {
            try {
                PublishAck ack = f.ack().get(settings.ackTimeout().toMillis(), TimeUnit.MILLISECONDS);
                counters.acked(ack.isDuplicate());
            } catch (ExecutionException | TimeoutException e) {
                failedAttempt(f, e);
            } catch (RuntimeException e) {
                failedAttempt(f, e);
            }
        }

        private void failedAttempt(InFlight f, Throwable cause) {
            if (f.attempt() < settings.maxAttempts()) {
                long backoff = settings.retryBackoff().toMillis() << Math.min(f.attempt() - 1, 10);
                retries.add(new Retry(f.message(), f.attempt() + 1, clockMillis.getAsLong() + backoff));
                counters.retried();
            } else {
                counters.failed(f.message(), cause);
            }
        }

        /** Interrupted: what was not acknowledged is reported as failed, not forgotten. */
        void abandon(InterruptedException cause) {
            for (InFlight f : window) {
                if (f.ack().isDone() && !f.ack().isCompletedExceptionally()) {
                    counters.acked(f.ack().join().isDuplicate());
                } else {
                    counters.failed(f.message(), cause);
                }
            }
            for (Retry r : retries) {
                counters.failed(r.message(), cause);
            }
            window.clear();
            retries.clear();
        }
    }
}
