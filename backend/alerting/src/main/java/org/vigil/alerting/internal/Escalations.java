package org.vigil.alerting.internal;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.AlertingSettings;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Climbs the escalation ladder of critical alerts nobody has acknowledged: at each step's deadline (from the
 * injected clock, so tests move time instead of waiting) the step's role is paged and the next deadline set.
 * Acknowledging, resolving or snoozing an alert stops or pauses it.
 */
@Context
@Requires(property = "vigil.alerting.enabled", notEquals = "false")
public class Escalations {
    private static final Logger LOG = LoggerFactory.getLogger(Escalations.class);

    private final TenantScope scope;
    private final AlertWriter writer;
    private final AlertConfigs configs;
    private final Deliveries deliveries;
    private final AlertingSettings settings;
    private final Thread thread = new Thread(this::run, "vigil-escalations");
    private volatile boolean running = true;

    public Escalations(TenantScope scope, AlertWriter writer, AlertConfigs configs, Deliveries deliveries,
                       AlertingSettings settings) {
        this.scope = scope;
        this.writer = writer;
        this.configs = configs;
        this.deliveries = deliveries;
        this.settings = settings;
    }

    @PostConstruct
    void start() {
        thread.start();
    }

    private void run() {
        while (running) {
            try {
                if (escalateDue() > 0) {
                    deliveries.wake();
                }
                Thread.sleep(settings.tickEvery().toMillis());
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.warn("Escalation round failed ({}); retrying", e.toString());
            }
        }
    }

    private record Due(TenantId tenant, UUID alert) {
    }

    /** One round: every alert whose deadline has passed climbs; returns how many did. */
    int escalateDue() {
        Instant now = writer.now();
        List<Due> due = scope.writeAcrossTenants(b -> {
            try (PreparedStatement ps = b.bind(TenantScope.PLATFORM).prepareStatement(
                    "SELECT tenant_id, alert_id FROM due_escalations(?, 500)")) {
                ps.setTimestamp(1, Timestamp.from(now));
                List<Due> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Due(new TenantId(rs.getString(1)), rs.getObject(2, UUID.class)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        for (Due d : due) {
            scope.writeInTenant(d.tenant(), c -> {
                try {
                    AlertWriter.Row row = writer.lock(c, d.alert());
                    // Re-checked under the lock: acknowledged or resolved since the scan means nothing to do.
                    if (row != null && row.status().equals("open")) {
                        writer.escalate(c, d.tenant(), row, configs.snapshot(d.tenant()).config(), now);
                    }
                    return null;
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
        }
        return due.size();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        thread.interrupt();
        thread.join(5_000);
    }
}
