package org.vigil.ehr.internal;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.ehr.EhrSettings;
import org.vigil.registry.TenantScope;

import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps one dispatcher per enabled endpoint of an active tenant in this process (each only sends while it holds
 * its endpoint's lease), replaces a dispatcher when its endpoint's document changes, and wakes a tenant's
 * dispatchers when this process produced work for them.
 */
@Context
@Requires(property = "vigil.ehr.enabled", notEquals = "false")
class Dispatchers {
    private static final Logger LOG = LoggerFactory.getLogger(Dispatchers.class);

    private final EhrSettings settings;
    private final ServedEndpoints served;
    private final EhrEndpoints endpoints;
    private final TransportFactory transports;
    private final TenantScope scope;
    private final Clock clock;
    private final String owner = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Map<ServedEndpoints.Ref, EndpointDispatcher> running = new ConcurrentHashMap<>();
    /** Endpoints whose document cannot be read, with the problem last logged (guarded by reconcile's lock). */
    private final Map<ServedEndpoints.Ref, String> unreadable = new java.util.HashMap<>();
    private final Thread thread = new Thread(this::run, "vigil-ehr-dispatchers");
    private volatile boolean stopping;

    Dispatchers(EhrSettings settings, ServedEndpoints served, EhrEndpoints endpoints, TransportFactory transports,
                TenantScope scope, Clock clock, DispatchSignal signal) {
        this.settings = settings;
        this.served = served;
        this.endpoints = endpoints;
        this.transports = transports;
        this.scope = scope;
        this.clock = clock;
        signal.listen(this::wake);
        thread.setDaemon(true);
        thread.start();
    }

    void wake(TenantId tenant) {
        running.forEach((ref, d) -> {
            if (ref.tenant().equals(tenant)) {
                d.wake();
            }
        });
    }

    Optional<EndpointDispatcher> dispatcher(TenantId tenant, String endpoint) {
        return Optional.ofNullable(running.get(new ServedEndpoints.Ref(tenant, endpoint)));
    }

    private void run() {
        while (!stopping) {
            try {
                reconcile();
                Thread.sleep(2_000);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("EHR dispatchers not reconciled ({}); trying again", e.toString());
                try {
                    Thread.sleep(2_000);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    private synchronized void reconcile() {
        Set<ServedEndpoints.Ref> wanted = new HashSet<>(served.all());
        unreadable.keySet().retainAll(wanted);
        for (ServedEndpoints.Ref ref : wanted) {
            EhrEndpoint e;
            try {
                e = endpoints.endpoint(ref.tenant(), ref.endpoint()).orElse(null);
            } catch (RuntimeException invalid) {
                // Said once per problem, not on every pass: the document stays unreadable until someone changes it.
                if (!String.valueOf(invalid.getMessage()).equals(unreadable.put(ref, String.valueOf(invalid.getMessage())))) {
                    LOG.error("EHR endpoint {} of tenant {} cannot be read ({}); not dispatched", ref.endpoint(),
                            ref.tenant().value(), invalid.getMessage());
                }
                continue;
            }
            unreadable.remove(ref);
            EndpointDispatcher d = running.get(ref);
            if (e == null || d != null && d.endpoint().version() == e.version()) {
                continue;
            }
            if (d != null) {
                d.stop();  // a changed document: a new transport with the new settings
            }
            EndpointDispatcher fresh = new EndpointDispatcher(e, transports.create(e), scope, endpoints, settings, clock, owner);
            running.put(ref, fresh);
            fresh.start();
            LOG.info("Dispatching EHR endpoint {} of tenant {} ({}, version {})", e.id(), e.tenant().value(),
                    e.kind().name().toLowerCase(), e.version());
        }
        for (ServedEndpoints.Ref ref : Set.copyOf(running.keySet())) {
            if (!wanted.contains(ref)) {
                running.remove(ref).stop();
            }
        }
    }

    @PreDestroy
    void stop() {
        stopping = true;
        thread.interrupt();
        running.values().forEach(EndpointDispatcher::stop);
        running.clear();
    }
}
