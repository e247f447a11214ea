package org.vigil.alerting.internal;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.UUID;

/**
 * What people do to alerts: acknowledge, assign, snooze, resolve. Each is one transaction that changes the alert,
 * records the transition with who and why, and publishes the alert's event so every dashboard sees it at once.
 */
@Singleton
public class AlertActions {
    private final TenantScope scope;
    private final AlertWriter writer;
    private final Deliveries deliveries;

    public AlertActions(TenantScope scope, AlertWriter writer, Deliveries deliveries) {
        this.scope = scope;
        this.writer = writer;
        this.deliveries = deliveries;
    }

    /** Stops the escalation ladder; the alert stays until it resolves. */
    public boolean acknowledge(TenantId tenant, UUID alert, String user, @Nullable String note) {
        return change(tenant, alert, user, "acknowledged", "acknowledged", note == null ? "Acknowledged." : note,
                "status = 'acknowledged', acknowledged_at = ?, acknowledged_by = ?, next_escalation_at = NULL",
                "status = 'open'", (ps, now) -> {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, user);
                    return 3;
                });
    }

    public boolean assign(TenantId tenant, UUID alert, String user, String assignee) {
        return change(tenant, alert, user, "assigned", null, "Assigned to " + assignee + ".",
                "assignee = ?", "status <> 'resolved'", (ps, now) -> {
                    ps.setString(1, assignee);
                    return 2;
                });
    }

    /** Hidden from the queue's attention and its ladder paused until {@code until}; it comes back by itself. */
    public boolean snooze(TenantId tenant, UUID alert, String user, Instant until, @Nullable String note) {
        return change(tenant, alert, user, "snoozed", null, "Snoozed until " + until + (note == null ? "." : ": " + note),
                "snoozed_until = ?", "status <> 'resolved'", (ps, now) -> {
                    ps.setTimestamp(1, Timestamp.from(until));
                    return 2;
                });
    }

    /** Resolved by a person; a later breach of the same rule opens a new alert. */
    public boolean resolve(TenantId tenant, UUID alert, String user, String note) {
        return change(tenant, alert, user, "resolved", "resolved", note,
                "status = 'resolved', resolved_at = ?, resolved_by = ?, next_escalation_at = NULL", "status <> 'resolved'",
                (ps, now) -> {
                    ps.setTimestamp(1, Timestamp.from(now));
                    ps.setString(2, user);
                    return 3;
                });
    }

    private interface Binder {
        /** Binds the SET clause's parameters; returns the index of the next one. */
        int bind(PreparedStatement ps, Instant now) throws SQLException;
    }

    /**
     * @return false when the tenant has no such alert; an alert not in a state the action applies to (e.g.
     *         acknowledging a resolved one) is left unchanged and reported as found
     */
    private boolean change(TenantId tenant, UUID alert, String user, String action, @Nullable String toStatus, String reason,
                           String set, String when, Binder binder) {
        Instant now = writer.now();
        boolean found = scope.writeInTenant(tenant, (Connection c) -> {
            try {
                AlertWriter.Row before = writer.lock(c, alert);
                if (before == null) {
                    return false;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE alerts SET " + set + ", updated_at = ? WHERE alert_id = ? AND " + when)) {
                    int i = binder.bind(ps, now);
                    ps.setTimestamp(i++, Timestamp.from(now));
                    ps.setObject(i, alert);
                    if (ps.executeUpdate() == 0) {
                        return true;
                    }
                }
                AlertWriter.Row after = writer.lock(c, alert);
                AlertWriter.transition(c, tenant, alert, now, user, action, before.status(),
                        toStatus == null ? after.status() : toStatus, after.severity(), reason);
                writer.publish(c, tenant, after, action, user, now);
                return true;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        deliveries.wake();
        return found;
    }
}
