package org.vigil.ingest.internal;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.ConsumerContext;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamStatusCheckedException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.ConsumerInfo;
import io.nats.client.impl.NatsJetStreamMetaData;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.core.DeadLetter;
import org.vigil.core.DeadLetterSink;
import org.vigil.core.DeviceDirectory;
import org.vigil.core.DeviceResolution;
import org.vigil.core.DeviceStatus;
import org.vigil.core.DeviceStatusSink;
import org.vigil.core.ErrorCode;
import org.vigil.core.Reading;
import org.vigil.core.ReadingSink;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;
import org.vigil.ingest.IngestMonitor;
import org.vigil.ingest.IngestSettings;
import org.vigil.ingest.IngestStats;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Problem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Consumes the readings stream into the telemetry store, at least once, effectively once.
 * <p>
 * Two threads: the fetcher pulls and decodes messages into a batch, closed when full or when its oldest message
 * has waited {@code maxDelay}; the writer resolves devices to patients, writes readings and dead letters, and only
 * then acknowledges. The hand-off queue holds one batch, and the consumer's {@code maxAckPending} bounds what the
 * server hands out, so when a store is slow intake slows down deterministically instead of buffering without
 * limit. A failed write is retried with backoff while the messages are kept alive with in-progress acks: nothing
 * is acknowledged that is not stored.
 */
@Context
@Requires(property = "vigil.ingest.enabled", notEquals = "false")
public class JetStreamIngest implements IngestMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(JetStreamIngest.class);
    private static final Batch END = new Batch(0, 0);

    private final IngestSettings settings;
    private final MessageDecoder decoder;
    private final DeviceDirectory devices;
    private final ReadingSink readings;
    private final DeadLetterSink deadLetters;
    private final DeviceStatusSink deviceStatus;
    private final BlockingQueue<Batch> handoff = new ArrayBlockingQueue<>(1);
    private final AtomicLong received = new AtomicLong();
    private final AtomicLong stored = new AtomicLong();
    private final AtomicLong deadLettered = new AtomicLong();
    private final AtomicLong redelivered = new AtomicLong();
    private final AtomicLong failedFlushes = new AtomicLong();
    private final AtomicReference<Instant> lastCommit = new AtomicReference<>();
    private final String rawRefPrefix;
    private final Connection nats;
    private final ConsumerContext consumer;
    private final IterableConsumer messages;
    private final Thread fetcher = new Thread(this::fetchLoop, "vigil-ingest-fetch");
    private final Thread writer = new Thread(this::writeLoop, "vigil-ingest-write");
    private volatile boolean running = true;

    public JetStreamIngest(IngestSettings settings, MessageDecoder decoder, DeviceDirectory devices,
                           ReadingSink readings, DeadLetterSink deadLetters, DeviceStatusSink deviceStatus) throws Exception {
        this.settings = settings;
        this.decoder = decoder;
        this.devices = devices;
        this.readings = readings;
        this.deadLetters = deadLetters;
        this.deviceStatus = deviceStatus;
        this.rawRefPrefix = settings.stream() + ":";
        this.nats = Nats.connect(Options.builder()
                .server(settings.natsUrl())
                .connectionName("vigil-ingest")
                .maxReconnects(-1)
                .build());
        ReadingsStream.declare(nats, settings);
        // The iterable consumer keeps pull requests outstanding and tracks them with heartbeats. A hand-rolled
        // fetch loop with short expiries lost messages that arrived after the client stopped waiting; they only
        // came back after the ack wait.
        this.consumer = nats.getConsumerContext(settings.stream(), settings.consumer());
        this.messages = consumer.iterate(ConsumeOptions.builder().batchSize(settings.fetchSize()).build());
    }

    @PostConstruct
    void start() {
        fetcher.start();
        writer.start();
        LOG.info("Consuming stream {} (consumer {}) from {}: batches of ≤{} readings, ≤{} ms wait, ≤{} in flight",
                settings.stream(), settings.consumer(), settings.natsUrl(), settings.maxBatch(),
                settings.maxDelay().toMillis(), settings.maxAckPending());
    }

    @Override
    public IngestStats stats() {
        return new IngestStats(received.get(), stored.get(), deadLettered.get(), redelivered.get(),
                failedFlushes.get(), lastCommit.get());
    }

    @Override
    public long pending() {
        try {
            ConsumerInfo info = consumer.getConsumerInfo();
            return info.getNumPending() + info.getNumAckPending();
        } catch (Exception e) {
            return -1;
        }
    }

    @Override
    public boolean connected() {
        return nats.getStatus() == Connection.Status.CONNECTED;
    }

    private void fetchLoop() {
        long maxDelayNanos = settings.maxDelay().toNanos();
        long pollMillis = Math.max(5, Math.min(50, settings.maxDelay().toMillis() / 4));
        Batch batch = null;
        try {
            while (running) {
                Message m = next(pollMillis);
                if (m != null) {
                    if (batch == null) {
                        batch = new Batch(settings.maxBatch(), System.nanoTime());
                    }
                    NatsJetStreamMetaData meta = m.metaData();
                    long seq = meta.streamSequence();
                    boolean redelivery = meta.deliveredCount() > 1;
                    if (redelivery) {
                        redelivered.incrementAndGet();
                    }
                    Instant receivedAt = meta.timestamp() == null ? Instant.now() : meta.timestamp().toInstant();
                    boolean resubmitted = m.hasHeaders() && m.getHeaders().containsKey(Subjects.MAY_BE_STORED_HEADER);
                    batch.add(m, decoder.decode(m.getSubject(), m.getData(), receivedAt, seq, resubmitted), redelivery);
                    received.incrementAndGet();
                }
                if (batch != null && (batch.size() >= settings.maxBatch() || System.nanoTime() - batch.openedNanos >= maxDelayNanos)) {
                    handoff.put(batch);
                    batch = null;
                }
            }
            if (batch != null) {
                handoff.put(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Not expected; without a fetcher nothing is consumed, so make it loud. Unacknowledged messages are
            // redelivered to the next process.
            LOG.error("Ingest fetcher stopped", e);
        } finally {
            endWriter();
        }
    }

    // put, not offer: the queue may still hold the last batch, and a lost END would leave the writer waiting
    // forever and the process unable to shut down.
    private void endWriter() {
        try {
            handoff.put(END);
        } catch (InterruptedException e) {
            writer.interrupt();
            Thread.currentThread().interrupt();
        }
    }

    private Message next(long pollMillis) throws InterruptedException {
        try {
            return messages.nextMessage(pollMillis);
        } catch (JetStreamStatusCheckedException | IllegalStateException e) {
            // A status from the server (e.g. consumer deleted) or a connection being re-established; jnats
            // reconnects by itself, the iterable consumer re-issues its pulls.
            LOG.warn("Pull from {} failed ({}); retrying", settings.consumer(), e.getMessage());
            Thread.sleep(200);
            return null;
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                Batch batch = handoff.take();
                if (batch == END) {
                    return;
                }
                commitWithRetry(batch);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void commitWithRetry(Batch batch) throws InterruptedException {
        long backoffMs = 100;
        while (true) {
            try {
                commit(batch);
                return;
            } catch (Exception e) {
                failedFlushes.incrementAndGet();
                // The readings may have been written before the dead letters (or the acks) failed.
                batch.mayBeStored = true;
                LOG.warn("Could not store a batch of {} messages ({}); retrying in {} ms", batch.size(), e.toString(), backoffMs);
                batch.messages.forEach(Message::inProgress);
                if (!running && backoffMs >= 5_000) {
                    // Shutting down with the store unavailable: leave the messages unacknowledged, the server redelivers them.
                    return;
                }
                Thread.sleep(backoffMs);
                backoffMs = Math.min(backoffMs * 2, 5_000);
            }
        }
    }

    private void commit(Batch batch) throws Exception {
        List<Reading> accepted = new ArrayList<>(batch.size());
        List<DeadLetter> rejected = new ArrayList<>();
        Map<TenantId, Map<String, DeviceStatus>> statuses = new HashMap<>();
        Map<TenantId, Set<String>> devicesByTenant = new HashMap<>();
        Map<TenantId, Set<String>> refreshByTenant = new HashMap<>();
        for (Decoded d : batch.decoded) {
            for (NormalizedReading r : d.normalized().readings()) {
                (d.resubmitted() ? refreshByTenant : devicesByTenant).computeIfAbsent(d.tenant(), t -> new HashSet<>()).add(r.device());
            }
        }
        refreshByTenant.forEach(devices::refresh);
        devicesByTenant.forEach(devices::warm);
        for (Decoded d : batch.decoded) {
            List<Problem> problems = new ArrayList<>(d.normalized().problems());
            int kept = 0;
            for (NormalizedReading r : d.normalized().readings()) {
                Reading reading = resolve(d, r, problems);
                if (reading != null) {
                    accepted.add(reading);
                    kept++;
                    seen(statuses, d.tenant(), new DeviceStatus(r.device(), null, null, null, d.envelope().received()));
                }
            }
            for (DeviceStatus s : d.normalized().statuses()) {
                seen(statuses, d.tenant(), s);
            }
            if (!problems.isEmpty()) {
                rejected.add(Rejections.deadLetter(d, problems, kept));
            }
        }
        if (!accepted.isEmpty()) {
            readings.write(accepted, batch.mayBeStored);
        }
        if (!rejected.isEmpty()) {
            deadLetters.write(rejected);
        }
        // Status is advisory: it is written after the readings and must never hold them back.
        statuses.forEach((tenant, byDevice) -> recordStatus(tenant, List.copyOf(byDevice.values())));
        // One ack per message. Cumulative acks (AckPolicy.All) were measured no faster here, and are unsafe: after a
        // crash, the restarted process's first ack also acknowledged everything the dead process had been handed
        // but never stored (CrashRecoveryIT lost those readings).
        for (Message m : batch.messages) {
            m.ack();
        }
        stored.addAndGet(accepted.size());
        deadLettered.addAndGet(rejected.size());
        lastCommit.set(Instant.now());
    }

    private Reading resolve(Decoded d, NormalizedReading r, List<Problem> problems) {
        DeviceResolution resolution = devices.resolve(d.tenant(), r.device(), r.effective());
        if (resolution instanceof DeviceResolution.Assigned a) {
            return new Reading(d.tenant(), a.patientId(), r.device(), r.code(), r.measurements(), r.effective(),
                    d.envelope().received(), r.deviceTime(), r.flags(), d.format(),
                    rawRefPrefix + d.envelope().streamSeq(), r.contentHash());
        }
        if (resolution instanceof DeviceResolution.UnknownDevice) {
            problems.add(new Problem(ErrorCode.UNKNOWN_DEVICE, "No device with serial, IMEI or MAC '" + r.device()
                    + "' is registered for tenant '" + d.tenant() + "'. Register it, then re-submit this dead letter."));
        } else {
            problems.add(new Problem(ErrorCode.UNASSIGNED_DEVICE, "Device '" + r.device()
                    + "' was not assigned to any patient at " + r.effective()
                    + ". Add an assignment covering that time, then re-submit this dead letter."));
        }
        return null;
    }

    // The newest status per device wins; a reading alone only says the device was seen.
    private static void seen(Map<TenantId, Map<String, DeviceStatus>> statuses, TenantId tenant, DeviceStatus s) {
        statuses.computeIfAbsent(tenant, t -> new HashMap<>()).merge(s.device(), s, DeviceStatus::newer);
    }

    private void recordStatus(TenantId tenant, List<DeviceStatus> byDevice) {
        try {
            deviceStatus.record(tenant, byDevice);
        } catch (RuntimeException e) {
            LOG.warn("Could not record the status of {} devices of tenant {}: {}", byDevice.size(), tenant, e.toString());
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        fetcher.join(TimeUnit.SECONDS.toMillis(10));
        writer.join(TimeUnit.SECONDS.toMillis(30));
        if (writer.isAlive()) {
            // Still retrying a store that is down: give up, the unacknowledged messages are redelivered.
            writer.interrupt();
            writer.join(TimeUnit.SECONDS.toMillis(5));
        }
        messages.stop();
        try {
            messages.close();
        } catch (Exception e) {
            LOG.debug("closing the consumer", e);
        }
        nats.close();
    }
}
