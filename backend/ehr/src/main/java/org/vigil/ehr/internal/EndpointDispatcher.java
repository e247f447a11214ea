package org.vigil.ehr.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.ehr.EhrSettings;
import org.vigil.registry.TenantScope;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends one endpoint's outbox. One process at a time holds the endpoint's lease; it claims the heads of patients'
 * queues (never a patient already in flight, so a patient's items stay in order and one patient's trouble blocks
 * nobody else), sends them with bounded concurrency, and records each outcome: delivered, tried again later with
 * backoff and jitter, held for a person, or dead-lettered. A circuit breaker keeps a down endpoint to one probe at
 * a time. Nothing is marked "in flight" in the database: after a crash the next lease holder sends again, and the
 * EHR's conditional create or the HL7 control id keeps that from duplicating anything.
 */
final class EndpointDispatcher {
    private static final Logger LOG = LoggerFactory.getLogger(EndpointDispatcher.class);

    private final EhrEndpoint endpoint;
    private final Transport transport;
    private final TenantScope scope;
    private final EhrEndpoints endpoints;
    private final EhrSettings settings;
    private final Clock clock;
    private final String owner;
    private final Breaker breaker;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final Set<UUID> inFlight = ConcurrentHashMap.newKeySet();
    private final Object signal = new Object();
    private final Thread loop;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile boolean running = true;
    private boolean woken;
    private Instant leaseUntil = Instant.EPOCH;
    private String health = "unknown";

    EndpointDispatcher(EhrEndpoint endpoint, Transport transport, TenantScope scope, EhrEndpoints endpoints,
                       EhrSettings settings, Clock clock, String owner) {
        this.endpoint = endpoint;
        this.transport = transport;
        this.scope = scope;
        this.endpoints = endpoints;
        this.settings = settings;
        this.clock = clock;
        this.owner = owner;
        EhrEndpoint.Delivery d = endpoint.delivery();
        this.breaker = new Breaker(d.breakerFailures(), d.breakerOpen());
        this.slots = new Semaphore(d.concurrency());
        this.workers = Executors.newFixedThreadPool(d.concurrency(), r -> {
            Thread t = new Thread(r, "vigil-ehr-" + endpoint.tenant().value() + "-" + endpoint.id());
            t.setDaemon(true);
            return t;
        });
        this.loop = new Thread(this::run, "vigil-ehr-dispatch-" + endpoint.tenant().value() + "-" + endpoint.id());
        loop.setDaemon(true);
    }

    EhrEndpoint endpoint() {
        return endpoint;
    }

    void start() {
        loop.start();
    }

    /** Live figures for the operations board. */
    record Live(String breaker, int inFlight, long delivered, long failed, boolean leaseHeld) {
    }

    Live live() {
        return new Live(breaker.state().name().toLowerCase().replace('_', '-'), inFlight.size(), delivered.get(), failed.get(),
                clock.instant().isBefore(leaseUntil));
    }

    void wake() {
        synchronized (signal) {
            woken = true;
            signal.notifyAll();
        }
    }

    private void run() {
        long backoff = 500;
        while (running) {
            try {
                if (!holdLease()) {
                    pause(settings.lease().toMillis() / 3);
                    continue;
                }
                int sends = breaker.allowed(clock.instant(), slots.availablePermits());
                int claimed = sends > 0 ? dispatch(sends) : 0;
                if (claimed == 0 || slots.availablePermits() == 0) {
                    pause(settings.idlePoll().toMillis());
                }
                backoff = 500;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                LOG.warn("Dispatcher of tenant {} endpoint {} interrupted ({}); resuming in {} ms", endpoint.tenant().value(),
                        endpoint.id(), e.toString(), backoff);
                pause(backoff);
                backoff = Math.min(backoff * 2, 10_000);
            }
        }
    }

    private void pause(long ms) {
        synchronized (signal) {
            if (!woken && running) {
                try {
                    signal.wait(Math.max(1, ms));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            woken = false;
        }
    }

    /** Takes or renews the lease; false while another process holds it. */
    private boolean holdLease() {
        Instant now = clock.instant();
        if (now.isBefore(leaseUntil.minus(settings.lease().multipliedBy(2).dividedBy(3)))) {
            return true;
        }
        Instant until = now.plus(settings.lease());
        boolean held = scope.writeInTenant(endpoint.tenant(), c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ehr_endpoints SET lease_owner = ?, lease_until = ? "
                    + "WHERE endpoint_id = ? AND (lease_owner IS NULL OR lease_owner = ? OR lease_until < ?)")) {
                ps.setString(1, owner);
                ps.setTimestamp(2, Timestamp.from(until));
                ps.setString(3, endpoint.id());
                ps.setString(4, owner);
                ps.setTimestamp(5, Timestamp.from(now));
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        leaseUntil = held ? until : Instant.EPOCH;
        return held;
    }

    /** Claims and starts up to {@code sends} sends; returns how many items were claimed. */
    private int dispatch(int sends) {
        String system = identifierSystem();
        Instant now = clock.instant();
        List<Outbox.Claimed> claimed = scope.writeInTenant(endpoint.tenant(), c -> {
            try {
                Outbox.holdUnconsented(c, endpoint.id());
                return Outbox.ready(c, endpoint.id(), now, Set.copyOf(inFlight), transport.perPatient(),
                        sends * transport.itemsPerSend(), system);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        if (claimed.isEmpty()) {
            return 0;
        }
        // Whole runs of a patient go into one send, so two concurrent sends never carry the same patient.
        Map<UUID, List<Outbox.Claimed>> byPatient = new LinkedHashMap<>();
        claimed.forEach(i -> byPatient.computeIfAbsent(i.patient(), p -> new ArrayList<>()).add(i));
        List<List<Outbox.Claimed>> batches = new ArrayList<>();
        List<Outbox.Claimed> current = new ArrayList<>();
        for (List<Outbox.Claimed> run : byPatient.values()) {
            if (!current.isEmpty() && current.size() + run.size() > transport.itemsPerSend()) {
                batches.add(current);
                current = new ArrayList<>();
            }
            current.addAll(run);
        }
        if (!current.isEmpty()) {
            batches.add(current);
        }
        for (List<Outbox.Claimed> batch : batches.subList(0, Math.min(batches.size(), sends))) {
            if (!slots.tryAcquire()) {
                break;
            }
            batch.forEach(i -> inFlight.add(i.patient()));
            workers.submit(() -> execute(batch));
        }
        return claimed.size();
    }

    private String identifierSystem() {
        return endpoint.kind() == EhrEndpoint.Kind.FHIR ? endpoint.fhir().patientIdentifierSystem()
                : endpoint.mllp().patientIdentifierSystem();
    }

    private void execute(List<Outbox.Claimed> batch) {
        try {
            long t0 = System.nanoTime();
            List<Outcome> outcomes;
            try {
                outcomes = transport.send(batch);
            } catch (RuntimeException bug) {
                // A transport must turn failures into outcomes; one that throws anyway is refused like a bad item, so
                // it is retried with backoff and dead-lettered, instead of being sent again in a tight loop.
                LOG.error("Transport of tenant {} endpoint {} failed unexpectedly", endpoint.tenant().value(), endpoint.id(), bug);
                outcomes = new ArrayList<>();
                for (Outbox.Claimed i : batch) {
                    outcomes.add(Outcome.of(i.itemId(), Outcome.Result.REFUSED, "internal error: " + bug));
                }
            }
            int took = (int) TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            record(batch, outcomes, took);
        } catch (RuntimeException e) {
            // Recording failed (PostgreSQL away): the items stay pending and go again; the EHR de-duplicates them.
            LOG.warn("Outcomes for tenant {} endpoint {} not recorded ({}); those items will be sent again",
                    endpoint.tenant().value(), endpoint.id(), e.toString());
        } finally {
            batch.forEach(i -> inFlight.remove(i.patient()));
            slots.release();
            wake();
        }
    }

    private void record(List<Outbox.Claimed> batch, List<Outcome> outcomes, int took) {
        Instant now = clock.instant();
        EhrEndpoint.Delivery d = endpoint.delivery();
        Map<UUID, Outbox.Claimed> items = new LinkedHashMap<>();
        batch.forEach(i -> items.put(i.itemId(), i));
        List<Outcome> done = new ArrayList<>();
        boolean unreachable = false;
        boolean answered = false;
        String lastError = null;
        for (Outcome o : outcomes) {
            switch (o.result()) {
                case DELIVERED -> {
                    done.add(o);
                    answered = true;
                }
                case REFUSED, REJECTED -> answered = true;
                case UNREACHABLE -> {
                    unreachable = true;
                    lastError = o.detail();
                }
                default -> {
                }
            }
        }
        scope.writeInTenant(endpoint.tenant(), c -> {
            try {
                Outbox.delivered(c, done, now);
                for (Outcome o : outcomes) {
                    Outbox.Claimed i = items.get(o.itemId());
                    if (i == null) {
                        continue;
                    }
                    switch (o.result()) {
                        case REFUSED -> {
                            int failures = i.failures() + 1;
                            Outbox.failed(c, endpoint.tenant(), o, true, failures >= d.maxFailures(),
                                    now.plus(Backoff.after(failures, d.backoffMin(), d.backoffMax())), now, took);
                        }
                        case REJECTED -> Outbox.failed(c, endpoint.tenant(), o, true, true, now, now, took);
                        case UNREACHABLE -> Outbox.failed(c, endpoint.tenant(), o, false, false,
                                now.plus(Backoff.after(i.attempts() - i.failures() + 1, d.backoffMin(), d.backoffMax())), now, took);
                        case HELD -> Outbox.held(c, o.itemId(), o.held(), o.detail());
                        default -> {
                        }
                    }
                }
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        delivered.addAndGet(done.size());
        failed.addAndGet(outcomes.stream().filter(o -> o.result() == Outcome.Result.REFUSED || o.result() == Outcome.Result.REJECTED
                || o.result() == Outcome.Result.UNREACHABLE).count());
        if (unreachable) {
            breaker.failed(now);
        } else if (answered) {
            breaker.succeeded();
        }
        Breaker.State state = breaker.state();
        String h = state == Breaker.State.OPEN ? "down" : unreachable || state == Breaker.State.HALF_OPEN ? "degraded"
                : answered ? "up" : health;
        String detail = unreachable ? lastError : null;
        if (!h.equals(health)) {
            LOG.info("EHR endpoint {} of tenant {} is {}{}", endpoint.id(), endpoint.tenant().value(), h,
                    detail == null ? "" : " (" + detail + ")");
            health = h;
            try {
                endpoints.recordHealth(endpoint.tenant(), endpoint.id(), h, detail);
            } catch (RuntimeException e) {
                LOG.debug("endpoint health not recorded", e);
            }
        }
    }

    /** Stops claiming, lets sends in flight finish (up to the timeout), and gives the lease back. */
    void stop() {
        running = false;
        wake();
        try {
            loop.join(5_000);
            workers.shutdown();
            workers.awaitTermination(endpoint.delivery().timeout().toMillis() + 1_000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        transport.close();
        try {
            scope.writeInTenant(endpoint.tenant(), c -> {
                try (PreparedStatement ps = c.prepareStatement("UPDATE ehr_endpoints SET lease_until = NULL, lease_owner = NULL "
                        + "WHERE endpoint_id = ? AND lease_owner = ?")) {
                    ps.setString(1, endpoint.id());
                    ps.setString(2, owner);
                    return ps.executeUpdate();
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        } catch (RuntimeException e) {
            LOG.debug("lease not released; it expires", e);
        }
    }
}
