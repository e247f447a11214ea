package org.vigil.alerting.internal;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.AlertingSettings;
import org.vigil.alerting.CanarySettings;
import org.vigil.alerting.Evaluator;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Proves the alert circuit per tenant, end to end: a synthetic patient wearing a synthetic pulse oximeter sends a
 * critical heart rate on the tenant's ingest subject every {@link CanarySettings#every()}; it must come out as that
 * patient's alert (never listed or paged) within {@link CanarySettings#deadline()}, or a platform alarm is raised,
 * recorded in {@code platform_alarms} and logged, until a later reading comes out again. A row lock on the tenant's
 * canary makes one process send per period however many run.
 */
@Context
@Requires(property = "vigil.alerting.enabled", notEquals = "false")
@Requires(property = "vigil.alerting.canary.enabled", notEquals = "false")
public class Canary {
    private static final Logger LOG = LoggerFactory.getLogger(Canary.class);
    static final String ALARM = "alert-canary-late";
    /** Above the canary rules' critical 250/min, within what the edge accepts as a heart rate. */
    private static final int PROBE_VALUE = 280;

    private final CanarySettings settings;
    private final AlertingSettings alerting;
    private final TenantScope scope;
    private final AlertConfigs configs;
    private final Clock clock;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "vigil-alert-canary"));
    private Connection nats;

    public Canary(CanarySettings settings, AlertingSettings alerting, TenantScope scope, AlertConfigs configs, Clock clock) {
        this.settings = settings;
        this.alerting = alerting;
        this.scope = scope;
        this.configs = configs;
        this.clock = clock;
    }

    @PostConstruct
    void start() {
        timer.scheduleWithFixedDelay(this::round, settings.checkEvery().toMillis(), settings.checkEvery().toMillis(), TimeUnit.MILLISECONDS);
    }

    private void round() {
        try {
            for (TenantId tenant : ActiveTenants.list(scope)) {
                try {
                    look(tenant);
                } catch (RuntimeException e) {
                    LOG.warn("Alert canary of tenant {}: {}", tenant.value(), e.toString());
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("Alert canary round failed: {}", e.toString());  // PostgreSQL away: the next round tries again
        }
    }

    /** The probe to publish, decided in the tenant's transaction and published after it commits. */
    private record Probe(String serial, Instant effective) {
    }

    private void look(TenantId tenant) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Probe probe = scope.writeInTenant(tenant, c -> {
            try {
                return look(c, tenant, now);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        if (probe != null) {
            String error = publish(tenant, probe);
            if (error != null) {
                scope.writeInTenant(tenant, c -> {
                    try {
                        return Sql.update(c, "UPDATE canaries SET probe_error = ? WHERE probe_effective = ?", error, probe.effective());
                    } catch (SQLException e) {
                        throw new IllegalStateException(e.getMessage(), e);
                    }
                });
            }
        }
    }

    private Probe look(java.sql.Connection c, TenantId tenant, Instant now) throws SQLException {
        Row row = lock(c);
        if (row == null) {
            create(c, tenant, now);
            return null;  // the evaluator learns of the synthetic patient before its first reading (see forget below)
        }
        boolean outstanding = row.effective() != null && !row.arrived();
        boolean late = row.status().equals("late");
        if (outstanding) {
            Instant out = committed(c, row);
            if (out != null) {
                long latency = Duration.between(row.sentAt(), out).toMillis();
                Sql.update(c, "UPDATE canaries SET probe_arrived = true, arrived_at = ?, latency_ms = ?, status = 'ok', "
                        + "status_since = CASE WHEN status = 'ok' THEN status_since ELSE ? END", out, (int) latency, now);
                if (Sql.update(c, "UPDATE platform_alarms SET cleared_at = ? WHERE kind = ? AND cleared_at IS NULL", now, ALARM) > 0) {
                    LOG.warn("Alert canary of tenant {} is out again ({} ms): platform alarm cleared", tenant.value(), latency);
                }
                outstanding = false;
                late = false;
            } else if (!late && !now.isBefore(row.sentAt().plus(settings.deadline()))) {
                String detail = "The canary reading published at " + row.sentAt() + " was not committed as an alert within "
                        + Evaluator.human(settings.deadline()) + ": this tenant's alerts may be delayed or lost."
                        + (row.error() == null ? "" : " Publishing it failed: " + row.error());
                Sql.update(c, "UPDATE canaries SET status = 'late', status_since = ?", now);
                Sql.update(c, "INSERT INTO platform_alarms (tenant_id, alarm_id, kind, raised_at, detail) VALUES (?, ?, ?, ?, ?) "
                        + "ON CONFLICT (tenant_id, kind) WHERE cleared_at IS NULL DO NOTHING",
                        tenant.value(), UUID.randomUUID(), ALARM, now, detail);
                LOG.error("PLATFORM ALARM {} for tenant {}: {}", ALARM, tenant.value(), detail);
                late = true;
            }
        }
        // A reading on its way is judged before the next one goes, so a new one never hides a late one; once late,
        // readings keep going so that the recovery is seen.
        if (outstanding && !late || row.sentAt() != null && now.isBefore(row.sentAt().plus(settings.every()))) {
            return null;
        }
        Sql.update(c, "UPDATE canaries SET probe_sent_at = ?, probe_effective = ?, probe_arrived = false, probe_error = NULL", now, now);
        return new Probe(row.serial(), now);
    }

    private record Row(UUID patient, String serial, String status, Instant sentAt, Instant effective, boolean arrived, String error) {
    }

    private static Row lock(java.sql.Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, serial, status, probe_sent_at, probe_effective, "
                + "probe_arrived, probe_error FROM canaries FOR UPDATE");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                return null;
            }
            return new Row(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3), instant(rs.getTimestamp(4)),
                    instant(rs.getTimestamp(5)), rs.getBoolean(6), rs.getString(7));
        }
    }

    /** When the probe was committed as the canary alert, if it was. */
    private static Instant committed(java.sql.Connection c, Row row) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT max(updated_at) FROM alerts WHERE patient_id = ? AND canary "
                + "AND status <> 'resolved' AND last_seen >= ?")) {
            ps.setObject(1, row.patient());
            ps.setTimestamp(2, Timestamp.from(row.effective()));
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return instant(rs.getTimestamp(1));
            }
        }
    }

    private void create(java.sql.Connection c, TenantId tenant, Instant now) throws SQLException {
        // Two processes starting together must not both create one.
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
            ps.setString(1, "vigil-canary:" + tenant.value());
            ps.execute();
        }
        if (lock(c) != null) {
            return;
        }
        UUID patient = UUID.randomUUID();
        UUID device = UUID.randomUUID();
        String serial = "VIGIL-CANARY-" + device.toString().substring(0, 8).toUpperCase();
        Sql.update(c, "INSERT INTO patients (tenant_id, patient_id, display_name, synthetic) VALUES (?, ?, ?, true)",
                tenant.value(), patient, "Vigil alert canary (synthetic)");
        Sql.update(c, "INSERT INTO devices (tenant_id, device_id, kind, model, serial) VALUES (?, ?, 'pulse-oximeter', 'vigil-canary', ?)",
                tenant.value(), device, serial);
        Sql.update(c, "INSERT INTO device_assignments (tenant_id, assignment_id, device_id, patient_id, valid) "
                + "VALUES (?, ?, ?, ?, tstzrange(?, NULL))", tenant.value(), UUID.randomUUID(), device, patient, now);
        Sql.update(c, "INSERT INTO canaries (tenant_id, patient_id, device_id, serial, status, status_since) VALUES (?, ?, ?, ?, 'starting', ?)",
                tenant.value(), patient, device, serial, now);
        configs.forget(tenant);
        LOG.info("Alert canary created for tenant {} (device {})", tenant.value(), serial);
    }

    /** @return why it could not be published, or null */
    private String publish(TenantId tenant, Probe p) {
        String json = "{\"device\":\"" + p.serial() + "\",\"code\":\"8867-4\",\"value\":" + PROBE_VALUE
                + ",\"unit\":\"/min\",\"effective\":\"" + p.effective() + "\"}";
        try {
            JetStream js = connection().jetStream();
            js.publish(Subjects.ingest(tenant, Subjects.CANONICAL_FORMAT, p.serial()), json.getBytes(StandardCharsets.UTF_8),
                    PublishOptions.builder().messageId("canary:" + tenant.value() + ":" + p.effective()).build());
            return null;
        } catch (Exception e) {
            LOG.warn("Alert canary of tenant {} could not publish: {}", tenant.value(), e.toString());
            return e.toString();
        }
    }

    private synchronized Connection connection() throws Exception {
        if (nats == null) {
            nats = Nats.connect(Options.builder().server(alerting.natsUrl()).connectionName("vigil-alert-canary")
                    .maxReconnects(-1).build());
        }
        return nats;
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }

    @PreDestroy
    void stop() throws InterruptedException {
        timer.shutdownNow();
        timer.awaitTermination(5, TimeUnit.SECONDS);
        synchronized (this) {
            if (nats != null) {
                nats.close();
            }
        }
    }
}
