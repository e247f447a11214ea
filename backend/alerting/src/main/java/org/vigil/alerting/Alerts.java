package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.vigil.alerting.internal.AlertActions;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Alerts as care teams see and handle them, always within one tenant. */
@Singleton
public class Alerts {
    private final TenantScope scope;
    private final AlertActions actions;

    public Alerts(TenantScope scope, AlertActions actions) {
        this.scope = scope;
        this.actions = actions;
    }

    @Serdeable
    public record AlertView(UUID alertId, UUID patientId, String key, String program, String status, String severity,
                            @Nullable String code, @Nullable String unit, @Nullable Double firstValue, @Nullable Double lastValue,
                            @Nullable Double limit, String summary, int count, Instant firstSeen, Instant lastSeen,
                            Instant openedAt, @Nullable Instant acknowledgedAt, @Nullable String acknowledgedBy,
                            @Nullable Instant resolvedAt, @Nullable String resolvedBy, @Nullable String assignee,
                            @Nullable Instant snoozedUntil, boolean late, int escalationLevel, @Nullable Instant nextEscalationAt) {
    }

    @Serdeable
    public record Transition(int seq, Instant at, String actor, String action, @Nullable String fromStatus, String toStatus,
                             String severity, String reason) {
    }

    @Serdeable
    public record DeliveryView(UUID deliveryId, String channel, String destination, @Nullable String role, String event,
                               String status, int attempts, @Nullable Instant deliveredAt, @Nullable String lastError,
                               List<AttemptView> attemptLog) {
    }

    @Serdeable
    public record AttemptView(int attempt, Instant at, int tookMs, String outcome, String detail) {
    }

    @Serdeable
    public record Detail(AlertView alert, List<Transition> transitions, List<DeliveryView> deliveries) {
    }

    /** Filters of the triage queue; null means any. Unresolved alerts, most severe then oldest first. */
    public record Query(@Nullable String status, @Nullable String severity, @Nullable UUID patient, @Nullable String program,
                        @Nullable String assignee, int limit) {
    }

    private static final String COLUMNS = "alert_id, patient_id, alert_key, program, status, severity, code, unit, first_value, "
            + "last_value, limit_value, summary, count, first_seen, last_seen, opened_at, acknowledged_at, acknowledged_by, "
            + "resolved_at, resolved_by, assignee, snoozed_until, late, escalation_level, next_escalation_at";

    public List<AlertView> list(TenantId tenant, Query q) {
        // The canary's alerts prove the circuit to operators; care teams never see them.
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM alerts WHERE NOT canary AND ");
        List<Object> args = new ArrayList<>();
        if (q.status() == null) {
            sql.append("status <> 'resolved'");
        } else {
            sql.append("status = ?");
            args.add(q.status());
        }
        for (String[] f : new String[][]{{"severity", q.severity()}, {"program", q.program()}, {"assignee", q.assignee()}}) {
            if (f[1] != null) {
                sql.append(" AND ").append(f[0]).append(" = ?");
                args.add(f[1]);
            }
        }
        if (q.patient() != null) {
            sql.append(" AND patient_id = ?");
            args.add(q.patient());
        }
        sql.append(" ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, opened_at, alert_id LIMIT ?");
        args.add(Math.max(1, Math.min(q.limit(), 1000)));
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setObject(i + 1, args.get(i));
                }
                List<AlertView> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(view(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    public Optional<Detail> detail(TenantId tenant, UUID alert) {
        return scope.writeInTenant(tenant, c -> {
            try {
                AlertView a;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE alert_id = ? AND NOT canary")) {
                    ps.setObject(1, alert);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.<Detail>empty();
                        }
                        a = view(rs);
                    }
                }
                return Optional.of(new Detail(a, transitions(c, alert), deliveries(c, alert)));
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /** @return the alert after the action, or empty when the tenant has no such alert */
    public Optional<AlertView> acknowledge(TenantId tenant, UUID alert, String user, @Nullable String note) {
        return act(tenant, alert, () -> actions.acknowledge(tenant, alert, user, note));
    }

    public Optional<AlertView> assign(TenantId tenant, UUID alert, String user, String assignee) {
        return act(tenant, alert, () -> actions.assign(tenant, alert, user, assignee));
    }

    public Optional<AlertView> snooze(TenantId tenant, UUID alert, String user, Instant until, @Nullable String note) {
        return act(tenant, alert, () -> actions.snooze(tenant, alert, user, until, note));
    }

    public Optional<AlertView> resolve(TenantId tenant, UUID alert, String user, String note) {
        return act(tenant, alert, () -> actions.resolve(tenant, alert, user, note));
    }

    private Optional<AlertView> act(TenantId tenant, UUID alert, java.util.function.BooleanSupplier action) {
        return action.getAsBoolean() ? detail(tenant, alert).map(Detail::alert) : Optional.empty();
    }

    private static List<Transition> transitions(Connection c, UUID alert) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT seq, at, actor, action, from_status, to_status, severity, reason "
                + "FROM alert_transitions WHERE alert_id = ? ORDER BY seq")) {
            ps.setObject(1, alert);
            List<Transition> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(new Transition(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getString(3), rs.getString(4),
                            rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8)));
                }
            }
            return out;
        }
    }

    private static List<DeliveryView> deliveries(Connection c, UUID alert) throws SQLException {
        List<DeliveryView> out = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT delivery_id, channel, destination, role, event, status, attempts, "
                + "delivered_at, last_error FROM alert_deliveries WHERE alert_id = ? ORDER BY created_at, delivery_id");
             PreparedStatement at = c.prepareStatement("SELECT attempt, at, took_ms, outcome, detail FROM alert_delivery_attempts "
                     + "WHERE delivery_id = ? ORDER BY attempt")) {
            ps.setObject(1, alert);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    List<AttemptView> attempts = new ArrayList<>();
                    at.setObject(1, id);
                    try (ResultSet ar = at.executeQuery()) {
                        while (ar.next()) {
                            attempts.add(new AttemptView(ar.getInt(1), ar.getTimestamp(2).toInstant(), ar.getInt(3), ar.getString(4), ar.getString(5)));
                        }
                    }
                    out.add(new DeliveryView(id, rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5), rs.getString(6),
                            rs.getInt(7), instant(rs.getTimestamp(8)), rs.getString(9), attempts));
                }
            }
        }
        return out;
    }

    private static AlertView view(ResultSet rs) throws SQLException {
        return new AlertView(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), rs.getString(7), rs.getString(8), num(rs, 9), num(rs, 10), num(rs, 11),
                rs.getString(12), rs.getInt(13), rs.getTimestamp(14).toInstant(), rs.getTimestamp(15).toInstant(),
                rs.getTimestamp(16).toInstant(), instant(rs.getTimestamp(17)), rs.getString(18), instant(rs.getTimestamp(19)),
                rs.getString(20), rs.getString(21), instant(rs.getTimestamp(22)), rs.getBoolean(23), rs.getInt(24),
                instant(rs.getTimestamp(25)));
    }

    @Nullable
    private static Double num(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }

    @Nullable
    private static Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
