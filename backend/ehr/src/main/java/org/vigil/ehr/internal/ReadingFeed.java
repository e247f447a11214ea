package org.vigil.ehr.internal;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.serde.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.ConsumerContext;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.ConsumeOptions;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertConfigs;
import org.vigil.core.DeviceDirectory;
import org.vigil.core.DeviceResolution;
import org.vigil.core.Reading;
import org.vigil.core.TenantId;
import org.vigil.ehr.DeviceInfo;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.ehr.EhrSettings;
import org.vigil.ehr.EndpointReader;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Payload;
import org.vigil.registry.TenantScope;

import java.io.IOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * For endpoints that receive every reading: one durable JetStream consumer per such tenant, filtered to the tenant's
 * subjects (so tenants without one cost nothing), that writes each batch's items to the outbox and acknowledges the
 * messages after the commit. A redelivered message adds nothing: items are keyed by the reading's content hash.
 * It is separate from the alert circuit's reader, so a slow outbox never delays an alarm.
 */
@Context
@Requires(property = "vigil.ehr.enabled", notEquals = "false")
class ReadingFeed {
    private static final Logger LOG = LoggerFactory.getLogger(ReadingFeed.class);

    private final EhrSettings settings;
    private final EhrEndpoints endpoints;
    private final ServedEndpoints served;
    private final Decoders decoders;
    private final DeviceDirectory directory;
    private final DeviceInfos devices;
    private final AlertConfigs configs;
    private final TenantScope scope;
    private final ObjectMapper json;
    private final Clock clock;
    private final DispatchSignal signal;
    private final Map<TenantId, Thread> feeds = new HashMap<>();
    private final Thread manager = new Thread(this::manage, "vigil-ehr-feeds");
    private volatile boolean running = true;
    private Connection nats;

    ReadingFeed(EhrSettings settings, EhrEndpoints endpoints, ServedEndpoints served, Decoders decoders,
                DeviceDirectory directory, DeviceInfos devices, AlertConfigs configs, TenantScope scope, ObjectMapper json,
                Clock clock, DispatchSignal signal) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.served = served;
        this.decoders = decoders;
        this.directory = directory;
        this.devices = devices;
        this.configs = configs;
        this.scope = scope;
        this.json = json;
        this.clock = clock;
        this.signal = signal;
        manager.setDaemon(true);
        manager.start();
    }

    static String consumerName(TenantId tenant) {
        return "vigil-ehr-" + tenant.value();
    }

    private void manage() {
        while (running) {
            try {
                synchronized (feeds) {
                    feeds.entrySet().removeIf(f -> !f.getValue().isAlive());
                    for (TenantId t : served.tenants()) {
                        if (!feeds.containsKey(t) && !targets(t).isEmpty()) {
                            Thread th = new Thread(() -> feed(t), "vigil-ehr-feed-" + t.value());
                            th.setDaemon(true);
                            feeds.put(t, th);
                            th.start();
                        }
                    }
                    // A tenant that no longer wants every reading: its thread sees that and stops; its consumer stays
                    // (durable), so turning the policy on again resumes where it stopped rather than losing readings.
                }
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("EHR feed management failed ({}); trying again", e.toString());
                sleepQuietly(2_000);
            }
        }
    }

    /** The tenant's endpoints that receive every reading. */
    private List<EhrEndpoint> targets(TenantId tenant) {
        List<EhrEndpoint> out = new ArrayList<>();
        for (EhrEndpoint e : endpoints.active(tenant)) {
            if (e.send().readings() == EhrEndpoint.Readings.ALL) {
                out.add(e);
            }
        }
        return out;
    }

    /**
     * When the tenant began wanting every reading: the oldest such endpoint's last change. The consumer starts
     * there, not at "now", so readings published between the change and the consumer's creation are not lost.
     */
    private Instant wantedSince(TenantId tenant) {
        Instant since = clock.instant();
        for (EhrEndpoints.Stored s : endpoints.list(tenant)) {
            if (s.enabled() && s.updatedAt().isBefore(since) && EndpointReader.read(tenant, s.id(), s.document(), s.version())
                    .send().readings() == EhrEndpoint.Readings.ALL) {
                since = s.updatedAt();
            }
        }
        return since;
    }

    private synchronized Connection nats() throws IOException, InterruptedException {
        if (nats == null) {
            nats = Nats.connect(Options.builder().server(settings.natsUrl()).connectionName("vigil-ehr-feed").maxReconnects(-1).build());
        }
        return nats;
    }

    private void feed(TenantId tenant) {
        IterableConsumer messages = null;
        long backoff = 500;
        while (running) {
            try {
                if (messages == null) {
                    messages = consumer(tenant);
                    LOG.info("EHR feed of tenant {} reading {} as {}", tenant.value(), settings.stream(), consumerName(tenant));
                }
                if (targets(tenant).isEmpty()) {
                    break;
                }
                List<Message> batch = new ArrayList<>();
                Message m = messages.nextMessage(Duration.ofMillis(500));
                while (m != null) {
                    batch.add(m);
                    if (batch.size() >= 500) {
                        break;
                    }
                    m = messages.nextMessage(Duration.ofMillis(20));
                }
                if (!batch.isEmpty()) {
                    store(tenant, batch);
                    batch.forEach(Message::ack);
                }
                backoff = 500;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (Exception e) {
                // Unacknowledged messages come back after the ack wait; the items they make are idempotent.
                LOG.warn("EHR feed of tenant {} interrupted ({}); resuming in {} ms", tenant.value(), e.toString(), backoff);
                stop(messages);
                messages = null;
                sleepQuietly(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
        stop(messages);
    }

    private IterableConsumer consumer(TenantId tenant) throws IOException, JetStreamApiException, InterruptedException {
        Connection c = nats();
        JetStreamManagement jsm = c.jetStreamManagement();
        String name = consumerName(tenant);
        try {
            jsm.getConsumerInfo(settings.stream(), name);
        } catch (JetStreamApiException missing) {
            // From when the policy was switched on. Readings from before are not sent (a backfill is a replay).
            jsm.addOrUpdateConsumer(settings.stream(), ConsumerConfiguration.builder()
                    .durable(name)
                    .filterSubject("vigil." + tenant.value() + ".ingest.>")
                    .ackPolicy(AckPolicy.Explicit)
                    .deliverPolicy(DeliverPolicy.ByStartTime)
                    .startTime(wantedSince(tenant).atZone(ZoneOffset.UTC))
                    .maxAckPending(20_000)
                    .ackWait(Duration.ofSeconds(60))
                    .build());
        }
        ConsumerContext ctx = c.getConsumerContext(settings.stream(), name);
        return ctx.iterate(ConsumeOptions.builder().batchSize(500).build());
    }

    private void store(TenantId tenant, List<Message> batch) throws IOException {
        List<EhrEndpoint> targets = targets(tenant);
        List<Reading> readings = new ArrayList<>();
        Set<String> idents = new HashSet<>();
        List<NormalizedReading> decoded = new ArrayList<>();
        List<Payload> payloads = new ArrayList<>();
        for (Message m : batch) {
            Instant received = m.metaData().timestamp() == null ? clock.instant() : m.metaData().timestamp().toInstant();
            Payload p = Payload.ofMessage(m.getSubject(), m.getData(), received).orElse(null);
            if (p == null || !p.tenant().equals(tenant)) {
                continue;
            }
            for (NormalizedReading r : decoders.decode(p).readings()) {
                idents.add(r.device());
                decoded.add(r);
                payloads.add(p);
            }
        }
        directory.warm(tenant, idents);
        for (int i = 0; i < decoded.size(); i++) {
            NormalizedReading r = decoded.get(i);
            Payload p = payloads.get(i);
            if (directory.resolve(tenant, r.device(), r.effective()) instanceof DeviceResolution.Assigned a) {
                readings.add(new Reading(tenant, a.patientId(), r.device(), r.code(), r.measurements(), r.effective(),
                        p.received(), r.deviceTime(), r.flags(), p.format(), settings.stream(), r.contentHash()));
            }
        }
        if (readings.isEmpty() || targets.isEmpty()) {
            return;
        }
        AlertConfigs.Snapshot rules = configs.snapshot(tenant);
        int added = scope.writeInTenant(tenant, c -> {
            try {
                List<Outbox.NewItem> items = new ArrayList<>();
                for (Reading r : readings) {
                    DeviceInfo device = devices.byReported(c, tenant, r.device());
                    if (device == null) {
                        continue;
                    }
                    String payload = json.writeValueAsString(Items.of(r, device, rules.rulesFor(r.patient()), null));
                    for (EhrEndpoint e : targets) {
                        items.add(new Outbox.NewItem(e.id(), r.patient(), "reading", r.contentHash(), payload));
                    }
                }
                return Outbox.add(c, tenant, items, clock.instant());
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        if (added > 0) {
            signal.wake(tenant);
        }
    }

    private static void stop(IterableConsumer messages) {
        if (messages != null) {
            try {
                messages.stop();
                messages.close();
            } catch (Exception e) {
                LOG.debug("closing the EHR feed's consumer", e);
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void close() throws InterruptedException {
        running = false;
        manager.interrupt();
        List<Thread> threads;
        synchronized (feeds) {
            threads = new ArrayList<>(feeds.values());
        }
        for (Thread t : threads) {
            t.join(5_000);
        }
        if (nats != null) {
            nats.close();
        }
    }
}
