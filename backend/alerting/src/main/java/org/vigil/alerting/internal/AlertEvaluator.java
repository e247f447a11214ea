package org.vigil.alerting.internal;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.nats.client.Connection;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamApiException;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.StreamContext;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.impl.NatsJetStreamMetaData;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertChange;
import org.vigil.alerting.AlertConfig;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.AlertingSettings;
import org.vigil.alerting.AssignedDevice;
import org.vigil.alerting.Evaluator;
import org.vigil.alerting.PatientMemory;
import org.vigil.alerting.PatientRules;
import org.vigil.core.DeviceDirectory;
import org.vigil.core.DeviceResolution;
import org.vigil.core.DeviceStatus;
import org.vigil.core.Reading;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Payload;
import org.vigil.registry.TenantScope;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The alert circuit's reader: its own position on the readings stream, independent of the telemetry writer, so a
 * slow or stopped ClickHouse never delays an alert. One thread reads the stream in order (an ordered consumer from
 * the position stored in PostgreSQL), evaluates each reading against its patient's rules and commits the alert
 * effects, the suppression states and the new position in one transaction: a crash re-reads what was not committed
 * and nothing committed is applied twice. Windows are snapshotted every few seconds; after a restart the stream is
 * re-read from the snapshot with judging switched off until the committed position, so windows come back exactly.
 */
@Context
@Requires(property = "vigil.alerting.enabled", notEquals = "false")
public class AlertEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(AlertEvaluator.class);
    /** What a device's own status flags say about its battery (e.g. the GATT glucose sensor-status annunciation). */
    private static final String BATTERY_LOW_FLAG = "battery-low";

    private final AlertingSettings settings;
    private final Decoders decoders;
    private final DeviceDirectory devices;
    private final AlertConfigs configs;
    private final AlertWriter writer;
    private final TenantScope scope;
    private final Deliveries deliveries;
    private final Clock clock;
    private final Thread thread = new Thread(this::run, "vigil-alert-evaluator");
    private final Map<TenantId, Map<UUID, PatientMemory>> memory = new HashMap<>();
    private final Map<TenantId, Set<UUID>> dirtyMemory = new HashMap<>();
    private final AtomicLong evaluated = new AtomicLong();
    private final AtomicLong changes = new AtomicLong();
    private volatile boolean running = true;
    private volatile Instant lastCommit;
    private Connection nats;
    private IterableConsumer messages;
    private StreamPositions.Position position;
    /** The last stream sequence whose reading is in {@link #memory} (what a snapshot taken now covers). */
    private long readSeq;
    private Instant lastSnapshot = Instant.EPOCH;
    private Instant lastTick = Instant.EPOCH;
    private Instant lastSilenceScan = Instant.EPOCH;

    public AlertEvaluator(AlertingSettings settings, Decoders decoders, DeviceDirectory devices, AlertConfigs configs,
                          AlertWriter writer, TenantScope scope, Deliveries deliveries, Clock clock) {
        this.settings = settings;
        this.decoders = decoders;
        this.devices = devices;
        this.configs = configs;
        this.writer = writer;
        this.scope = scope;
        this.deliveries = deliveries;
        this.clock = clock;
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    /** How far the circuit has got: readings evaluated, alert changes committed, the committed position. */
    public record Stats(long evaluated, long changes, long position, Instant lastCommit) {
    }

    public Stats stats() {
        StreamPositions.Position p = position;
        return new Stats(evaluated.get(), changes.get(), p == null ? -1 : p.effectsSeq(), lastCommit);
    }

    private void run() {
        long backoff = 200;
        while (running) {
            try {
                if (messages == null) {
                    recover();
                }
                step();
                backoff = 200;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                // PostgreSQL or NATS unavailable, or another process moved the position: start again from what is
                // committed. In-memory state may be ahead of the database, so it is dropped and rebuilt.
                LOG.warn("Alert evaluation interrupted ({}); resuming from the committed position in {} ms", e.toString(), backoff);
                closeConsumer();
                try {
                    Thread.sleep(backoff);
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, 5_000);
            }
        }
    }

    private void recover() throws Exception {
        memory.clear();
        dirtyMemory.clear();
        if (nats == null) {
            nats = Nats.connect(Options.builder().server(settings.natsUrl()).connectionName("vigil-alert-evaluator")
                    .maxReconnects(-1).build());
        }
        StreamContext stream = waitForStream();
        long last = stream.getStreamInfo().getStreamState().getLastSequence();
        position = scope.writeAcrossTenants(b -> {
            try {
                var c = b.bind(TenantScope.PLATFORM);
                StreamPositions.create(c, settings.consumer(), settings.stream(), "new".equals(settings.startAt()) ? last : 0);
                return StreamPositions.read(c, settings.consumer()).orElseThrow();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        long from = position.memorySeq() + 1;
        long first = stream.getStreamInfo().getStreamState().getFirstSequence();
        if (from < first) {
            LOG.warn("The stream no longer holds sequence {} (it starts at {}): trends restart from what it holds", from, first);
            from = first;
        }
        readSeq = from - 1;
        messages = stream.createOrderedConsumer(new OrderedConsumerConfiguration()
                .deliverPolicy(DeliverPolicy.ByStartSequence).startSequence(from)).iterate();
        LOG.info("Evaluating alerts on {} from sequence {} (effects committed up to {}, memory up to {})",
                settings.stream(), from, position.effectsSeq(), position.memorySeq());
    }

    private StreamContext waitForStream() throws Exception {
        while (running) {
            try {
                return nats.getStreamContext(settings.stream());
            } catch (JetStreamApiException e) {
                Thread.sleep(250);  // ingest declares the stream; it may start after us
            }
        }
        throw new InterruptedException("stopping");
    }

    /** A reading, or a hub's report about itself (reading null). */
    private record Decoded(long seq, Payload payload, @Nullable NormalizedReading reading, @Nullable DeviceStatus status) {
    }

    /** What a device assigned to a patient sent: a reading, or a report about itself (battery) when reading is null. */
    private record Item(long seq, TenantId tenant, UUID patient, UUID device, String ident, Instant heardAt,
                        @Nullable Reading reading, @Nullable Double battery) {
    }

    private void step() throws Exception {
        long deadline = System.nanoTime() + settings.maxDelay().toNanos();
        List<Item> items = new ArrayList<>();
        long lastSeq = -1;
        Map<TenantId, Set<String>> warm = new HashMap<>();
        Map<TenantId, Set<String>> refresh = new HashMap<>();
        List<Decoded> decoded = new ArrayList<>();
        int n = 0;
        while (n < settings.maxBatch()) {
            long waitMs = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            Message m = messages.nextMessage(n == 0 ? Math.max(waitMs, 50) : waitMs);
            if (m == null) {
                break;
            }
            n++;
            NatsJetStreamMetaData meta = m.metaData();
            lastSeq = meta.streamSequence();
            Instant received = meta.timestamp() == null ? clock.instant() : meta.timestamp().toInstant();
            Payload payload = Payload.ofMessage(m.getSubject(), m.getData(), received).orElse(null);
            if (payload == null) {
                continue;  // ingest dead-letters it
            }
            Normalized normalized = decoders.decode(payload);
            boolean resubmitted = m.hasHeaders() && m.getHeaders().containsKey(Subjects.MAY_BE_STORED_HEADER);
            Set<String> load = (resubmitted ? refresh : warm).computeIfAbsent(payload.tenant(), t -> new HashSet<>());
            for (NormalizedReading r : normalized.readings()) {
                load.add(r.device());
                decoded.add(new Decoded(lastSeq, payload, r, null));
            }
            for (DeviceStatus st : normalized.statuses()) {
                load.add(st.device());
                decoded.add(new Decoded(lastSeq, payload, null, st));
            }
            if (System.nanoTime() >= deadline) {
                break;
            }
        }
        refresh.forEach(devices::refresh);
        warm.forEach(devices::warm);
        for (Decoded d : decoded) {
            Payload p = d.payload();
            NormalizedReading r = d.reading();
            if (r == null) {
                // A hub's report about itself counts for the patient the hub is assigned to (a cellular scale is its own hub).
                DeviceStatus st = d.status();
                if (devices.resolve(p.tenant(), st.device(), st.seenAt()) instanceof DeviceResolution.Assigned a) {
                    items.add(new Item(d.seq(), p.tenant(), a.patientId(), a.deviceId(), st.device(), st.seenAt(), null, st.batteryPercent()));
                }
            } else if (devices.resolve(p.tenant(), r.device(), r.effective()) instanceof DeviceResolution.Assigned a) {
                // Readings of unknown or unassigned devices are ingest's dead letters; re-submitted, they come back here.
                items.add(new Item(d.seq(), p.tenant(), a.patientId(), a.deviceId(), r.device(), p.received(),
                        new Reading(p.tenant(), a.patientId(), r.device(), r.code(), r.measurements(), r.effective(),
                                p.received(), r.deviceTime(), r.flags(), p.format(), settings.stream() + ":" + d.seq(),
                                r.contentHash()), null));
            }
        }
        Instant now = clock.instant();
        boolean tick = !now.isBefore(lastTick.plus(settings.tickEvery()));
        boolean snapshot = !now.isBefore(lastSnapshot.plus(settings.snapshotEvery()));
        if (lastSeq < 0 && !tick) {
            return;
        }
        // Once the stream goes quiet, what was read still gets snapshotted: a restart after a burst would otherwise
        // re-read the whole burst before judging anything new.
        evaluate(items, lastSeq, now, tick, snapshot && (lastSeq > 0 || !dirtyMemory.isEmpty()));
    }

    private record Effect(TenantId tenant, UUID patient, long seq, @Nullable Reading reading, AlertChange change) {
    }

    private void evaluate(List<Item> items, long lastSeq, Instant now, boolean tick, boolean snapshot) throws Exception {
        readSeq = Math.max(readSeq, lastSeq);
        Map<TenantId, Set<UUID>> needed = new HashMap<>();
        items.forEach(i -> needed.computeIfAbsent(i.tenant(), t -> new HashSet<>()).add(i.patient()));
        boolean scanSilence = tick && !now.isBefore(lastSilenceScan.plusSeconds(30));
        Watched watched = scanSilence ? watched(now) : Watched.NONE;
        watched.patients().forEach((t, ps) -> needed.computeIfAbsent(t, x -> new HashSet<>()).addAll(ps));
        load(needed);
        // One snapshot of each tenant's rules per batch: what was judged is what gets written and paged.
        Map<TenantId, AlertConfigs.Snapshot> rulesNow = new HashMap<>();
        java.util.function.Function<TenantId, AlertConfigs.Snapshot> rulesOf = t -> rulesNow.computeIfAbsent(t, configs::snapshot);
        List<Effect> effects = new ArrayList<>();
        Map<TenantId, Set<UUID>> dirtyStates = new HashMap<>();
        for (Item i : items) {
            PatientMemory m = memory.get(i.tenant()).get(i.patient());
            AlertConfigs.Snapshot rules = rulesOf.apply(i.tenant());
            PatientRules patientRules = rules.rulesFor(i.patient());
            boolean judge = i.seq() > position.effectsSeq();
            List<AlertChange> cs = new ArrayList<>();
            if (i.reading() != null) {
                cs.addAll(Evaluator.onReading(patientRules, m, i.reading(), rules.config().lateAfter(), judge));
            }
            cs.addAll(Evaluator.onDevice(patientRules, m, i.device(), "device " + i.ident(), i.heardAt(), i.battery(),
                    i.reading() != null && i.reading().flags().contains(BATTERY_LOW_FLAG), judge));
            cs.forEach(c -> effects.add(new Effect(i.tenant(), i.patient(), i.seq(), i.reading(), c)));
            if (m.takeStatesChanged()) {
                dirtyStates.computeIfAbsent(i.tenant(), t -> new HashSet<>()).add(i.patient());
            }
            dirtyMemory.computeIfAbsent(i.tenant(), t -> new HashSet<>()).add(i.patient());
        }
        evaluated.addAndGet(items.size());
        if (tick) {
            for (Map.Entry<TenantId, Map<UUID, PatientMemory>> t : memory.entrySet()) {
                AlertConfigs.Snapshot rules = rulesOf.apply(t.getKey());
                Map<UUID, Map<UUID, AssignedDevice>> assigned = watched.devices().get(t.getKey());
                Set<UUID> watchedHere = watched.patients().getOrDefault(t.getKey(), Set.of());
                for (Map.Entry<UUID, PatientMemory> p : t.getValue().entrySet()) {
                    if (!p.getValue().hasStates() && !watchedHere.contains(p.getKey())) {
                        continue;
                    }
                    // When the tenant's devices were scanned, every patient's are known (none is an answer too); else not.
                    Map<UUID, AssignedDevice> theirs = assigned == null ? null : assigned.getOrDefault(p.getKey(), Map.of());
                    Evaluator.tick(rules.rulesFor(p.getKey()), p.getValue(), now, rules.enrolledAt().get(p.getKey()), theirs)
                            .forEach(c -> effects.add(new Effect(t.getKey(), p.getKey(), 0, null, c)));
                    if (theirs != null) {
                        dirtyMemory.computeIfAbsent(t.getKey(), x -> new HashSet<>()).add(p.getKey());
                    }
                    if (p.getValue().takeStatesChanged()) {
                        dirtyStates.computeIfAbsent(t.getKey(), x -> new HashSet<>()).add(p.getKey());
                    }
                }
            }
        }
        // While catching up (lastSeq below effectsSeq) the snapshot reflects only what has been re-read.
        StreamPositions.Position next = new StreamPositions.Position(Math.max(lastSeq, position.effectsSeq()),
                snapshot ? Math.max(readSeq, position.memorySeq()) : position.memorySeq());
        boolean moved = !next.equals(position);
        if (effects.isEmpty() && dirtyStates.isEmpty() && !moved) {
            lastTick = tick ? now : lastTick;
            // A scan that found nothing still counts: else an idle evaluator scans every tenant on every tick.
            lastSilenceScan = scanSilence ? now : lastSilenceScan;
            return;
        }
        scope.writeAcrossTenants(b -> {
            try {
                Map<TenantId, List<Effect>> byTenant = new LinkedHashMap<>();
                effects.forEach(e -> byTenant.computeIfAbsent(e.tenant(), t -> new ArrayList<>()).add(e));
                for (Map.Entry<TenantId, List<Effect>> t : byTenant.entrySet()) {
                    var c = b.bind(t.getKey());
                    AlertConfigs.Snapshot rules = rulesOf.apply(t.getKey());
                    for (Effect e : t.getValue()) {
                        writer.apply(c, e.tenant(), e.patient(), e.change(), e.seq(), e.reading(), rules.config(), rules.settings(e.patient()));
                    }
                }
                for (Map.Entry<TenantId, Set<UUID>> t : dirtyStates.entrySet()) {
                    MemoryStore.writeStates(b.bind(t.getKey()), t.getKey().value(), select(t.getKey(), t.getValue()));
                }
                if (snapshot) {
                    for (Map.Entry<TenantId, Set<UUID>> t : dirtyMemory.entrySet()) {
                        MemoryStore.writeSnapshots(b.bind(t.getKey()), t.getKey().value(), select(t.getKey(), t.getValue()));
                    }
                }
                if (moved && !StreamPositions.advance(b.bind(TenantScope.PLATFORM), settings.consumer(), position, next)) {
                    throw new IllegalStateException("another process moved the alert evaluator's position");
                }
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        position = next;
        lastCommit = clock.instant();
        lastTick = tick ? now : lastTick;
        lastSilenceScan = scanSilence ? now : lastSilenceScan;
        if (snapshot) {
            dirtyMemory.clear();
            lastSnapshot = now;
        }
        changes.addAndGet(effects.size());
        if (!effects.isEmpty()) {
            deliveries.wake();
        }
    }

    private Map<UUID, PatientMemory> select(TenantId tenant, Set<UUID> patients) {
        Map<UUID, PatientMemory> all = memory.get(tenant);
        Map<UUID, PatientMemory> out = new HashMap<>();
        patients.forEach(p -> out.put(p, all.get(p)));
        return out;
    }

    /** Loads the stored memory of patients not yet in this process. */
    private void load(Map<TenantId, Set<UUID>> needed) {
        for (Map.Entry<TenantId, Set<UUID>> t : needed.entrySet()) {
            Map<UUID, PatientMemory> known = memory.computeIfAbsent(t.getKey(), x -> new HashMap<>());
            Set<UUID> missing = new HashSet<>(t.getValue());
            missing.removeAll(known.keySet());
            if (missing.isEmpty()) {
                continue;
            }
            known.putAll(scope.writeInTenant(t.getKey(), c -> {
                try {
                    return MemoryStore.load(c, missing);
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            }));
        }
    }

    /**
     * Who the clock can raise an alert for: enrolled patients (no-data rules) and patients with devices assigned in
     * tenants that watch devices, with those devices.
     */
    private record Watched(Map<TenantId, Set<UUID>> patients, Map<TenantId, Map<UUID, Map<UUID, AssignedDevice>>> devices) {
        static final Watched NONE = new Watched(Map.of(), Map.of());
    }

    private Watched watched(Instant now) {
        Map<TenantId, Set<UUID>> patients = new HashMap<>();
        Map<TenantId, Map<UUID, Map<UUID, AssignedDevice>>> devices = new HashMap<>();
        // What the clock raises must never stop what readings raise: a scan that fails is logged and tried again later.
        try {
            for (TenantId tenant : ActiveTenants.list(scope)) {
                try {
                    AlertConfigs.Snapshot rules = configs.snapshot(tenant);
                    Set<UUID> ps = new HashSet<>(rules.enrolledAt().keySet());
                    if (!rules.config().devices().equals(AlertConfig.DeviceWatch.NONE)) {
                        Map<UUID, Map<UUID, AssignedDevice>> byPatient = scope.writeInTenant(tenant, c -> {
                            try {
                                return assignedDevices(c, now);
                            } catch (SQLException e) {
                                throw new IllegalStateException(e.getMessage(), e);
                            }
                        });
                        devices.put(tenant, byPatient);
                        ps.addAll(byPatient.keySet());
                    }
                    patients.put(tenant, ps);
                } catch (RuntimeException e) {
                    LOG.warn("Silence scan of tenant {} failed ({}); it is tried again in 30 s", tenant.value(), e.toString());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Silence scan failed ({}); it is tried again in 30 s", e.toString());
        }
        return new Watched(patients, devices);
    }

    private static Map<UUID, Map<UUID, AssignedDevice>> assignedDevices(java.sql.Connection c, Instant now) throws SQLException {
        Map<UUID, Map<UUID, AssignedDevice>> out = new HashMap<>();
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT a.patient_id, a.device_id, d.kind || ' ' || coalesce(d.serial, d.imei, d.mac),
                       coalesce(lower(a.valid), d.created_at)
                FROM device_assignments a JOIN devices d ON d.tenant_id = a.tenant_id AND d.device_id = a.device_id
                WHERE a.valid @> ?::timestamptz""")) {
            ps.setTimestamp(1, java.sql.Timestamp.from(now));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.computeIfAbsent(rs.getObject(1, UUID.class), p -> new HashMap<>())
                            .put(rs.getObject(2, UUID.class), new AssignedDevice(rs.getString(3), rs.getTimestamp(4).toInstant()));
                }
            }
        }
        return out;
    }

    private void closeConsumer() {
        if (messages != null) {
            try {
                messages.stop();
                messages.close();
            } catch (Exception e) {
                LOG.debug("closing the ordered consumer", e);
            }
            messages = null;
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.join(TimeUnit.SECONDS.toMillis(10));
        if (thread.isAlive()) {
            thread.interrupt();
            thread.join(TimeUnit.SECONDS.toMillis(5));
        }
        closeConsumer();
        if (nats != null) {
            nats.close();
        }
    }
}
