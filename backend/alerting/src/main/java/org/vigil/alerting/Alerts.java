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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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

    /** @param patientName the patient's display name (null only if the patient row is gone) */
    @Serdeable
    public record AlertView(UUID alertId, UUID patientId, String key, String program, String status, String severity,
                            @Nullable String code, @Nullable String unit, @Nullable Double firstValue, @Nullable Double lastValue,
                            @Nullable Double limit, String summary, int count, Instant firstSeen, Instant lastSeen,
                            Instant openedAt, @Nullable Instant acknowledgedAt, @Nullable String acknowledgedBy,
                            @Nullable Instant resolvedAt, @Nullable String resolvedBy, @Nullable String assignee,
                            @Nullable Instant snoozedUntil, boolean late, int escalationLevel, @Nullable Instant nextEscalationAt,
                            @Nullable String patientName) {
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

    /**
     * Filters of the triage queue; null means any, except status, where null means every unresolved alert (open or
     * acknowledged) and {@link #ANY_STATUS} means every alert, resolved ones included (a patient's history).
     * Results are ordered most severe first, then oldest, then by id.
     *
     * @param limit how many {@link #list} returns (1–1000); {@link #page} takes its own
     */
    public record Query(@Nullable String status, @Nullable String severity, @Nullable UUID patient, @Nullable String program,
                        @Nullable String assignee, int limit) {
        /** The status filter value that matches every status, resolved included. */
        public static final String ANY_STATUS = "any";
    }

    private static final String COLUMNS = "a.alert_id, a.patient_id, a.alert_key, a.program, a.status, a.severity, a.code, a.unit, "
            + "a.first_value, a.last_value, a.limit_value, a.summary, a.count, a.first_seen, a.last_seen, a.opened_at, "
            + "a.acknowledged_at, a.acknowledged_by, a.resolved_at, a.resolved_by, a.assignee, a.snoozed_until, a.late, "
            + "a.escalation_level, a.next_escalation_at, p.display_name";
    private static final String WITH_PATIENT = " LEFT JOIN patients p ON p.tenant_id = a.tenant_id AND p.patient_id = a.patient_id";
    /** The queue's order. The index alerts_triage (V5__dashboard.sql) is on exactly this expression: change both or neither. */
    private static final String ORDER = "CASE a.severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, a.opened_at, a.alert_id";
    private static final List<String> SEVERITIES = List.of("critical", "warning", "info");

    /** The first {@code q.limit()} alerts matching the query. */
    public List<AlertView> list(TenantId tenant, Query q) {
        return page(tenant, q, 0, q.limit());
    }

    /**
     * One page of the alerts matching the query, in the queue's order, for a lazily loaded grid: rows
     * {@code offset .. offset + limit - 1} of what {@link #count} counts. The canary's alerts are never included.
     *
     * @param limit 1–1000
     */
    public List<AlertView> page(TenantId tenant, Query q, int offset, int limit) {
        Where w = where(tenant, q, true);
        // The page is cut from alerts alone, then joined to names: the rows skipped by OFFSET are never joined.
        String sql = "SELECT " + COLUMNS + " FROM (SELECT a.* FROM alerts a" + w.sql() + " ORDER BY " + ORDER
                + " OFFSET ? LIMIT ?) a" + WITH_PATIENT + " ORDER BY " + ORDER;
        List<Object> args = new ArrayList<>(w.args());
        args.add(Math.max(0, offset));
        args.add(Math.max(1, Math.min(limit, 1000)));
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = prepare(c, sql, args)) {
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

    /** How many alerts match the query (what {@link #page} pages through). */
    public int count(TenantId tenant, Query q) {
        Where w = where(tenant, q, true);
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = prepare(c, "SELECT count(*) FROM alerts a" + w.sql(), w.args());
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /**
     * Alerts matching the query per severity, whatever its severity filter says (the header above a queue filtered
     * to one severity still shows the others): critical, warning and info, in that order, each present (0 when
     * none). With no status filter that is the unresolved alerts.
     */
    public Map<String, Integer> countsBySeverity(TenantId tenant, Query q) {
        Where w = where(tenant, q, false);
        return scope.writeInTenant(tenant, c -> {
            Map<String, Integer> out = new LinkedHashMap<>();
            SEVERITIES.forEach(s -> out.put(s, 0));
            try (PreparedStatement ps = prepare(c, "SELECT a.severity, count(*) FROM alerts a" + w.sql() + " GROUP BY a.severity", w.args());
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private record Where(String sql, List<Object> args) {
    }

    /**
     * The query's filters. tenant_id is named as well as enforced by row-level security: the planner then uses it
     * as an index condition on alerts_triage.
     */
    private static Where where(TenantId tenant, Query q, boolean bySeverity) {
        StringBuilder sql = new StringBuilder(" WHERE a.tenant_id = ? AND NOT a.canary");
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        if (q.status() == null) {
            sql.append(" AND a.status <> 'resolved'");
        } else if (!Query.ANY_STATUS.equals(q.status())) {
            sql.append(" AND a.status = ?");
            args.add(q.status());
        }
        String[][] filters = {{"a.severity", bySeverity ? q.severity() : null}, {"a.program", q.program()}, {"a.assignee", q.assignee()}};
        for (String[] f : filters) {
            if (f[1] != null) {
                sql.append(" AND ").append(f[0]).append(" = ?");
                args.add(f[1]);
            }
        }
        if (q.patient() != null) {
            sql.append(" AND a.patient_id = ?");
            args.add(q.patient());
        }
        return new Where(sql.toString(), List.copyOf(args));
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }

    public Optional<Detail> detail(TenantId tenant, UUID alert) {
        return scope.writeInTenant(tenant, c -> {
            try {
                AlertView a;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts a" + WITH_PATIENT
                        + " WHERE a.alert_id = ? AND NOT a.canary")) {
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
                instant(rs.getTimestamp(25)), rs.getString(26));
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
