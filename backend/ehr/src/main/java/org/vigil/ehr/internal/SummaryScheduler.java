package org.vigil.ehr.internal;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.ehr.EhrSettings;
import org.vigil.ehr.Summaries;

import java.time.Clock;
import java.time.Instant;

/** Produces each endpoint's summary of the last closed period, once, some time after it closed. */
@Context
@Requires(property = "vigil.ehr.enabled", notEquals = "false")
class SummaryScheduler {
    private static final Logger LOG = LoggerFactory.getLogger(SummaryScheduler.class);

    private final EhrSettings settings;
    private final ServedEndpoints served;
    private final EhrEndpoints endpoints;
    private final Summaries summaries;
    private final Clock clock;
    private final Thread thread = new Thread(this::run, "vigil-ehr-summaries");
    private volatile boolean running = true;

    SummaryScheduler(EhrSettings settings, ServedEndpoints served, EhrEndpoints endpoints, Summaries summaries, Clock clock) {
        this.settings = settings;
        this.served = served;
        this.endpoints = endpoints;
        this.summaries = summaries;
        this.clock = clock;
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                Thread.sleep(settings.summaryCheck().toMillis());
                for (ServedEndpoints.Ref r : served.all()) {
                    endpoints.endpoint(r.tenant(), r.endpoint()).ifPresent(this::check);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Summary check failed ({}); trying again in {}", e.toString(), settings.summaryCheck());
            }
        }
    }

    private void check(EhrEndpoint e) {
        if (e.send().summaries() == EhrEndpoint.Summaries.NONE || !e.enabled()) {
            return;
        }
        Instant start = Summaries.lastClosedStart(e.send().summaries(), clock.instant(), settings.summaryDelay());
        try {
            Summaries.Produced p = summaries.produce(e, start);
            if (!p.alreadyDone()) {
                LOG.info("Summaries of {} to {} for tenant {} endpoint {}: {} patients, {} items", p.start(), p.end(),
                        e.tenant().value(), e.id(), p.patients(), p.items());
            }
        } catch (RuntimeException ex) {
            LOG.warn("Summaries for tenant {} endpoint {} not produced yet ({}); tried again later", e.tenant().value(), e.id(), ex.toString());
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        thread.interrupt();
    }
}
