package org.vigil.alerting.internal;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertChange;
import org.vigil.alerting.AlertFollower;
import org.vigil.alerting.AlertConfig;
import org.vigil.alerting.AlertingSettings;
import org.vigil.alerting.PatientSettings;
import org.vigil.alerting.Severity;
import org.vigil.alerting.Suppressor.Change;
import org.vigil.core.Reading;
import org.vigil.core.TenantId;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Writes alerts, their transitions and their deliveries, inside a transaction the caller owns (the evaluator's
 * batch, an escalation, a person's action). Every change of status or severity gets a transition; every change
 * anyone should see gets an event on the tenant's alert subject; pages go to the roles the configuration names.
 */
@Singleton
public class AlertWriter {
    private static final String COLUMNS = "alert_id, patient_id, alert_key, program, status, severity, count, last_value, unit, "
            + "limit_value, summary, last_seen, late, escalation_level, escalation_base, canary";

    private static final Logger LOG = LoggerFactory.getLogger(AlertWriter.class);

    private final Clock clock;
    private final AlertingSettings settings;
    private final List<AlertFollower> followers;
    private final AtomicLong followerFailures = new AtomicLong();

    public AlertWriter(Clock clock, AlertingSettings settings, List<AlertFollower> followers) {
        this.clock = clock;
        this.settings = settings;
        this.followers = List.copyOf(followers);
    }

    /** Followers' writes that failed (their alerts committed regardless). */
    public long followerFailures() {
        return followerFailures.get();
    }

    /** The columns an event and a page need. */
    record Row(UUID alertId, UUID patientId, String key, String program, String status, String severity, int count,
               @Nullable Double value, @Nullable String unit, @Nullable Double limit, String summary, Instant lastSeen,
               boolean late, int escalationLevel, @Nullable Instant escalationBase, boolean canary) {

        static Row of(ResultSet rs) throws SQLException {
            return new Row(rs.getObject(1, UUID.class), rs.getObject(2, UUID.class), rs.getString(3), rs.getString(4),
                    rs.getString(5), rs.getString(6), rs.getInt(7), nullableDouble(rs, 8), rs.getString(9),
                    nullableDouble(rs, 10), rs.getString(11), rs.getTimestamp(12).toInstant(), rs.getBoolean(13),
                    rs.getInt(14), rs.getTimestamp(15) == null ? null : rs.getTimestamp(15).toInstant(), rs.getBoolean(16));
        }
    }

    /**
     * The time to record: PostgreSQL keeps microseconds and rounds, so a nanosecond instant written and read back
     * could come back later than itself, and a deadline "at now" would not yet be due.
     */
    Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /**
     * One change decided by the evaluator.
     *
     * @param seq the stream sequence of the reading that caused it (0 for time-driven changes)
     */
    public void apply(Connection c, TenantId tenant, UUID patient, AlertChange ch, long seq, @Nullable Reading reading,
                      AlertConfig config, PatientSettings patient0) throws SQLException {
        Instant now = now();
        switch (ch.change()) {
            case OPENED -> open(c, tenant, patient, ch, seq, reading, config, patient0, now);
            case UPDATED, ESCALATED -> {
                Row row = update(c, tenant, patient, ch, now, ch.change() == Change.ESCALATED);
                if (row == null) {
                    // Resolved by a person meanwhile (or never written): this breach is a new alert.
                    open(c, tenant, patient, ch, seq, reading, config, patient0, now);
                } else if (ch.change() == Change.ESCALATED) {
                    transition(c, tenant, row.alertId(), now, "system", "escalated", null, row.status(), row.severity(), ch.summary());
                    publish(c, tenant, row, "escalated", "system", now);
                    pageOnOpen(c, tenant, row, config, patient0, now);
                    follow(c, tenant, row, "escalated", ch, reading);
                } else {
                    publish(c, tenant, row, "updated", "system", now);
                }
            }
            case REOPENED -> {
                Row row = reopen(c, tenant, patient, ch, now);
                if (row == null) {
                    open(c, tenant, patient, ch, seq, reading, config, patient0, now);
                } else {
                    transition(c, tenant, row.alertId(), now, "system", "reopened", "resolved", "open", row.severity(),
                            "A new breach within the cooldown: " + ch.summary());
                    publish(c, tenant, row, "reopened", "system", now);
                    pageOnOpen(c, tenant, row, config, patient0, now);
                    follow(c, tenant, row, "reopened", ch, reading);
                }
            }
            case RESOLVED -> {
                Row row = resolve(c, tenant, patient, ch.key(), now, "system");
                if (row != null) {
                    transition(c, tenant, row.alertId(), now, "system", "resolved", null, "resolved", row.severity(), ch.summary());
                    publish(c, tenant, row, "resolved", "system", now);
                }
            }
            case NONE -> {
            }
        }
    }

    private void open(Connection c, TenantId tenant, UUID patient, AlertChange ch, long seq, @Nullable Reading reading,
                      AlertConfig config, PatientSettings ps, Instant now) throws SQLException {
        UUID id = UUID.nameUUIDFromBytes((tenant.value() + "|" + patient + "|" + ch.key() + "|" + seq + "|" + ch.at())
                .getBytes(StandardCharsets.UTF_8));
        String severity = ch.severity().label();
        Row row;
        try (PreparedStatement ps0 = c.prepareStatement("INSERT INTO alerts (tenant_id, alert_id, patient_id, alert_key, rule_id, program, "
                + "status, severity, code, unit, first_value, last_value, limit_value, summary, count, first_seen, last_seen, "
                + "opened_at, updated_at, late, escalation_base, source_seq, canary) "
                + "VALUES (?, ?, ?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                // The registry says whether the patient is the tenant's synthetic canary, not the rules in memory.
                + "coalesce((SELECT synthetic FROM patients WHERE tenant_id = ? AND patient_id = ?), false)) "
                + "ON CONFLICT (tenant_id, patient_id, alert_key) WHERE status <> 'resolved' DO UPDATE SET "
                + "count = alerts.count + 1, last_value = excluded.last_value, last_seen = excluded.last_seen, "
                + "summary = excluded.summary, updated_at = excluded.updated_at RETURNING " + COLUMNS)) {
            int i = 1;
            ps0.setString(i++, tenant.value());
            ps0.setObject(i++, id);
            ps0.setObject(i++, patient);
            ps0.setString(i++, ch.key());
            ps0.setString(i++, ch.ruleId());
            ps0.setString(i++, ch.program());
            ps0.setString(i++, severity);
            ps0.setString(i++, ch.code());
            ps0.setString(i++, ch.unit());
            setDouble(ps0, i++, ch.value());
            setDouble(ps0, i++, ch.value());
            setDouble(ps0, i++, ch.limit());
            ps0.setString(i++, ch.summary());
            ps0.setInt(i++, Math.max(1, ch.after().count()));
            ps0.setTimestamp(i++, Timestamp.from(ch.after().since() != null ? ch.after().since() : ch.at()));
            ps0.setTimestamp(i++, Timestamp.from(ch.at()));
            ps0.setTimestamp(i++, Timestamp.from(now));
            ps0.setTimestamp(i++, Timestamp.from(now));
            ps0.setBoolean(i++, ch.late());
            ps0.setTimestamp(i++, Timestamp.from(now));
            ps0.setLong(i++, seq);
            ps0.setString(i++, tenant.value());
            ps0.setObject(i, patient);
            try (ResultSet rs = ps0.executeQuery()) {
                rs.next();
                row = Row.of(rs);
            }
        }
        if (!row.alertId().equals(id)) {
            publish(c, tenant, row, "updated", "system", now);  // an unresolved alert for the key already existed
            return;
        }
        transition(c, tenant, id, now, "system", "opened", null, "open", severity, ch.summary());
        publish(c, tenant, row, "opened", "system", now);
        pageOnOpen(c, tenant, row, config, ps, now);
        follow(c, tenant, row, "opened", ch, reading);
    }

    /**
     * Lets the followers write in this transaction, each behind a savepoint: an error rolls back the follower's
     * statements only (PostgreSQL would otherwise abort the whole transaction), so the alarm still commits.
     */
    private void follow(Connection c, TenantId tenant, Row row, String event, AlertChange ch, @Nullable Reading reading) {
        if (row.canary() || followers.isEmpty()) {
            return;
        }
        for (AlertFollower f : followers) {
            Savepoint sp = null;
            try {
                sp = c.setSavepoint();
                f.follow(c, tenant, row.patientId(), row.alertId(), event, ch, reading);
                c.releaseSavepoint(sp);
            } catch (SQLException | RuntimeException e) {
                followerFailures.incrementAndGet();
                LOG.error("{} could not follow alert {} of tenant {} ({}); the alert is committed without it",
                        f.getClass().getSimpleName(), row.alertId(), tenant.value(), e.toString());
                try {
                    if (sp != null) {
                        c.rollback(sp);
                    }
                } catch (SQLException rollback) {
                    throw new IllegalStateException("could not roll back to the follower's savepoint", rollback);
                }
            }
        }
    }

    @Nullable
    private Row update(Connection c, TenantId tenant, UUID patient, AlertChange ch, Instant now, boolean escalate) throws SQLException {
        // An escalated severity needs attention again even if someone had acknowledged the milder alert.
        String sql = "UPDATE alerts SET count = ?, last_value = ?, last_seen = greatest(last_seen, ?), summary = ?, updated_at = ?"
                + (escalate ? ", severity = ?, limit_value = ?, status = 'open', acknowledged_at = NULL, acknowledged_by = NULL,"
                + " escalation_level = 0, escalation_base = ?, next_escalation_at = NULL" : "")
                + " WHERE patient_id = ? AND alert_key = ? AND status <> 'resolved' RETURNING " + COLUMNS;
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int i = 1;
            ps.setInt(i++, ch.after().count());
            setDouble(ps, i++, ch.value());
            ps.setTimestamp(i++, Timestamp.from(ch.at()));
            ps.setString(i++, ch.summary());
            ps.setTimestamp(i++, Timestamp.from(now));
            if (escalate) {
                ps.setString(i++, ch.severity().label());
                setDouble(ps, i++, ch.limit());
                ps.setTimestamp(i++, Timestamp.from(now));
            }
            ps.setObject(i++, patient);
            ps.setString(i, ch.key());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Row.of(rs) : null;
            }
        }
    }

    @Nullable
    private Row reopen(Connection c, TenantId tenant, UUID patient, AlertChange ch, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET status = 'open', resolved_at = NULL, resolved_by = NULL, "
                + "acknowledged_at = NULL, acknowledged_by = NULL, count = count + 1, last_value = ?, last_seen = ?, summary = ?, "
                + "severity = ?, updated_at = ?, escalation_level = 0, escalation_base = ?, next_escalation_at = NULL "
                + "WHERE alert_id = (SELECT alert_id FROM alerts WHERE patient_id = ? AND alert_key = ? ORDER BY opened_at DESC LIMIT 1) "
                + "AND status = 'resolved' "
                + "AND NOT EXISTS (SELECT 1 FROM alerts WHERE patient_id = ? AND alert_key = ? AND status <> 'resolved') "
                + "RETURNING " + COLUMNS)) {
            setDouble(ps, 1, ch.value());
            ps.setTimestamp(2, Timestamp.from(ch.at()));
            ps.setString(3, ch.summary());
            ps.setString(4, ch.severity().label());
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setTimestamp(6, Timestamp.from(now));
            ps.setObject(7, patient);
            ps.setString(8, ch.key());
            ps.setObject(9, patient);
            ps.setString(10, ch.key());
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Row.of(rs) : null;
            }
        }
    }

    /** The alert, locked for this transaction; null when the tenant has none with that id. */
    @Nullable
    Row lock(Connection c, UUID alert) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM alerts WHERE alert_id = ? FOR UPDATE")) {
            ps.setObject(1, alert);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Row.of(rs) : null;
            }
        }
    }

    @Nullable
    Row resolve(Connection c, TenantId tenant, UUID patient, String key, Instant now, String actor) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET status = 'resolved', resolved_at = ?, resolved_by = ?, "
                + "updated_at = ?, next_escalation_at = NULL WHERE patient_id = ? AND alert_key = ? AND status <> 'resolved' "
                + "RETURNING " + COLUMNS)) {
            ps.setTimestamp(1, Timestamp.from(now));
            ps.setString(2, actor);
            ps.setTimestamp(3, Timestamp.from(now));
            ps.setObject(4, patient);
            ps.setString(5, key);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Row.of(rs) : null;
            }
        }
    }

    /**
     * Pages what the configuration says for a newly opened (or re-opened, or escalated) alert: for a critical one
     * the ladder steps due at once, for a warning the roles in {@code warningsNotify}. Late readings and snoozed
     * patients page nobody (a snooze never silences a critical alert unless the tenant chose so). The next
     * ladder deadline is set for critical alerts.
     */
    private void pageOnOpen(Connection c, TenantId tenant, Row row, AlertConfig config, PatientSettings ps, Instant now)
            throws SQLException {
        if (row.canary()) {
            return;  // the canary proves the circuit; it pages nobody
        }
        boolean critical = Severity.CRITICAL.label().equals(row.severity());
        boolean snoozed = ps.snoozedAt(now) && (!critical || config.snoozeCoversCritical());
        if (row.late() || snoozed) {
            return;
        }
        if (!critical) {
            for (String role : config.warningsNotify()) {
                page(c, tenant, row, config, role, now);
            }
            return;
        }
        escalate(c, tenant, row, config, now);
    }

    /**
     * Pages every ladder step whose deadline has passed and sets the next deadline: at opening that is the steps
     * due at once; called again by the escalation scheduler when a deadline comes.
     */
    void escalate(Connection c, TenantId tenant, Row row, AlertConfig config, Instant now) throws SQLException {
        List<AlertConfig.EscalationStep> ladder = config.escalation();
        Instant base = row.escalationBase() == null ? now : row.escalationBase();
        int level = row.escalationLevel();
        while (level < ladder.size() && !base.plus(ladder.get(level).after()).isAfter(now)) {
            page(c, tenant, row, config, ladder.get(level).role(), now);
            level++;
        }
        Instant next = level < ladder.size() ? base.plus(ladder.get(level).after()) : null;
        Sql.update(c, "UPDATE alerts SET escalation_level = ?, escalation_base = ?, next_escalation_at = ? WHERE alert_id = ?",
                level, base, next, row.alertId());
    }

    private void page(Connection c, TenantId tenant, Row row, AlertConfig config, String role, Instant now) throws SQLException {
        AlertConfig.Contacts contacts = config.contacts().get(role);
        if (contacts == null) {
            return;
        }
        String link = settings.dashboardUrl() + "/" + row.alertId();
        for (String address : contacts.email()) {
            // No PHI in e-mail: a severity, a rule and a link that asks for sign-in.
            String subject = "[Vigil] " + row.severity().toUpperCase() + " alert needs attention (" + row.program() + ")";
            String body = "A " + row.severity() + " alert (" + row.key() + ", program " + row.program() + ") is waiting for "
                    + "the " + role + " in Vigil.\n\nOpen it: " + link + "\n\nAlert " + row.alertId() + ", tenant "
                    + tenant.value() + ".\n";
            enqueue(c, tenant, row.alertId(), "email", address, role, "paged", subject, body, "text/plain", now);
        }
        for (String url : contacts.webhook()) {
            AlertEvent e = event(tenant, row, "paged", "system", now);
            enqueue(c, tenant, row.alertId(), "webhook", url, role, "paged", "alert " + row.alertId(), e.json(), "application/json", now);
        }
        transition(c, tenant, row.alertId(), now, "system", "paged", null, row.status(), row.severity(),
                role + " paged (" + contacts.email().size() + " e-mail, " + contacts.webhook().size() + " webhook)");
    }

    /** The dashboard's live event for this alert, through the outbox like every other delivery. */
    void publish(Connection c, TenantId tenant, Row row, String event, String actor, Instant now) throws SQLException {
        if (row.canary()) {
            return;  // never on a care team's screen
        }
        AlertEvent e = event(tenant, row, event, actor, now);
        enqueue(c, tenant, row.alertId(), "nats", "vigil." + tenant.value() + ".alerts." + row.patientId(), null, event,
                event, e.json(), "application/json", now);
    }

    private static AlertEvent event(TenantId tenant, Row row, String event, String actor, Instant now) {
        return new AlertEvent(event, tenant.value(), row.alertId(), row.patientId(), row.key(), row.program(), row.status(),
                row.severity(), row.count(), row.value(), row.unit(), row.limit(), row.summary(), row.lastSeen(), now, actor, row.late());
    }

    private static void enqueue(Connection c, TenantId tenant, UUID alert, String channel, String destination, @Nullable String role,
                                String event, String subject, String body, String contentType, Instant now) throws SQLException {
        Sql.update(c, "INSERT INTO alert_deliveries (tenant_id, delivery_id, alert_id, channel, destination, role, event, subject, "
                        + "body, content_type, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                tenant.value(), UUID.randomUUID(), alert, channel, destination, role, event, subject, body, contentType, now, now);
    }

    static void transition(Connection c, TenantId tenant, UUID alert, Instant at, String actor, String action,
                           @Nullable String from, String to, String severity, String reason) throws SQLException {
        Sql.update(c, "INSERT INTO alert_transitions (tenant_id, alert_id, seq, at, actor, action, from_status, to_status, "
                        + "severity, reason) SELECT ?, ?, coalesce(max(seq), 0) + 1, ?, ?, ?, ?, ?, ?, ? FROM alert_transitions WHERE alert_id = ?",
                tenant.value(), alert, at, actor, action, from, to, severity, reason, alert);
    }

    private static void setDouble(PreparedStatement ps, int i, @Nullable Double v) throws SQLException {
        if (v == null || !Double.isFinite(v)) {
            ps.setNull(i, Types.DOUBLE);
        } else {
            ps.setDouble(i, v);
        }
    }

    @Nullable
    private static Double nullableDouble(ResultSet rs, int i) throws SQLException {
        double v = rs.getDouble(i);
        return rs.wasNull() ? null : v;
    }
}
