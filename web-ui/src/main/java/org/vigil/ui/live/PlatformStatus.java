package org.vigil.ui.live;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.CircuitStatus;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.ingest.IngestMonitor;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.TelemetryUnavailableException;

import java.util.ArrayList;
import java.util.List;

/**
 * What is degraded right now, in words a care manager can act on. Each problem says whether alerts still work,
 * because that is the first thing anyone on a care team asks.
 */
@Singleton
public class PlatformStatus {
    private static final Logger LOG = LoggerFactory.getLogger(PlatformStatus.class);
    private final IngestMonitor ingest;
    private final ReadingHistory telemetry;
    private final EhrEndpoints endpoints;
    private final CircuitStatus circuit;

    public PlatformStatus(IngestMonitor ingest, ReadingHistory telemetry, EhrEndpoints endpoints, CircuitStatus circuit) {
        this.ingest = ingest;
        this.telemetry = telemetry;
        this.endpoints = endpoints;
        this.circuit = circuit;
    }

    /** @param severe the alert circuit itself is affected (shown red rather than amber) */
    public record Problem(String component, String message, boolean severe) {
    }

    /** The problems seen by a tenant (null: a platform administrator, who sees the shared components only). */
    public List<Problem> problems(@Nullable TenantId tenant) {
        List<Problem> out = new ArrayList<>();
        if (!ingest.connected()) {
            out.add(new Problem("nats", "Readings are not arriving: the message bus is unreachable. Alerts resume when it returns.", true));
        }
        try {
            telemetry.ping();
        } catch (TelemetryUnavailableException e) {
            out.add(new Problem("clickhouse", "Reading history is unavailable — alerts still active.", false));
        }
        if (tenant == null) {
            return out;
        }
        try {
            List<String> down = new ArrayList<>();
            List<String> degraded = new ArrayList<>();
            for (EhrEndpoints.Stored s : endpoints.list(tenant)) {
                if (!s.enabled()) {
                    continue;
                }
                if ("down".equals(s.health())) {
                    down.add(s.id());
                } else if ("degraded".equals(s.health())) {
                    degraded.add(s.id());
                }
            }
            if (!down.isEmpty()) {
                out.add(new Problem("ehr", "EHR sync paused (" + String.join(", ", down) + ") — alerts still active.", false));
            }
            if (!degraded.isEmpty()) {
                out.add(new Problem("ehr", "EHR sync slow (" + String.join(", ", degraded) + ") — alerts still active.", false));
            }
            CircuitStatus.Canary canary = circuit.of(tenant).canary();
            if (canary != null && "late".equals(canary.status())) {
                out.add(new Problem("canary", "The alert circuit's self-test is late: new alerts may be delayed.", true));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not read the status of tenant {}: {}", tenant.value(), e.getMessage());
            out.add(new Problem("postgres", "The clinical database is not answering: alerts may be delayed.", true));
        }
        return out;
    }
}
