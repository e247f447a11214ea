package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.vigil.alerting.internal.ActiveTenants;
import org.vigil.alerting.internal.StreamLag;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** What operators see of the alert circuit: each tenant's canary and the platform alarms it raised. No PHI. */
@Singleton
public class CircuitStatus {
    private final TenantScope scope;
    private final StreamLag streamLag;

    public CircuitStatus(TenantScope scope, StreamLag streamLag) {
        this.scope = scope;
        this.streamLag = streamLag;
    }

    /**
     * How far the alert evaluator is behind the readings stream. There is one stream and one evaluator position for
     * every tenant, so this is the platform's figure, not a tenant's (and holds no PHI).
     *
     * @param position          the last stream sequence whose alert effects are committed
     * @param streamLast        the stream's last sequence
     * @param behind            messages stored on the stream and not yet evaluated (0: caught up)
     * @param oldestPendingAt   when the oldest of those was stored; null when caught up
     * @param lag               how long that one has waited, zero when caught up: the figure to watch (an alert
     *                          for a reading stored now opens about this much later)
     * @param positionUpdatedAt when the evaluator last committed (it commits whenever it reads, so on a quiet
     *                          stream this ages while lag stays zero)
     */
    @Serdeable
    public record EvaluatorLag(long position, long streamLast, long behind, @Nullable Instant oldestPendingAt, Duration lag,
                               Instant positionUpdatedAt) {
    }

    /**
     * The evaluator's lag, measured now (kept for a second). Empty before any evaluator has started, and while NATS
     * does not answer (which the board shows as unknown, not as zero).
     */
    public Optional<EvaluatorLag> evaluatorLag() {
        return streamLag.now().map(l -> {
            long behind = Math.max(0, l.streamLast() - l.position());
            Duration lag = l.oldestPendingAt() == null || behind == 0 ? Duration.ZERO
                    : Duration.between(l.oldestPendingAt(), l.at()).isNegative() ? Duration.ZERO
                    : Duration.between(l.oldestPendingAt(), l.at());
            return new EvaluatorLag(l.position(), l.streamLast(), behind, behind == 0 ? null : l.oldestPendingAt(), lag,
                    l.positionUpdatedAt());
        });
    }

    /**
     * @param status        starting (no reading out yet), ok, or late (an alarm is open)
     * @param lastProbeAt   when the last canary reading was published
     * @param lastOutAt     when the last one that came out was committed as the canary alert
     * @param latencyMs     published → committed, for that one
     * @param lastError     why the last reading could not be published, if it could not
     */
    @Serdeable
    public record Canary(String status, Instant since, @Nullable Instant lastProbeAt, @Nullable Instant lastOutAt,
                         @Nullable Integer latencyMs, @Nullable String lastError) {
    }

    @Serdeable
    public record Alarm(String tenant, UUID alarmId, String kind, Instant raisedAt, @Nullable Instant clearedAt, String detail) {
    }

    /** @param canary null until the tenant's canary has been created */
    @Serdeable
    public record View(@Nullable Canary canary, List<Alarm> alarms) {
    }

    /** The tenant's canary and its 20 latest alarms, open ones first. */
    public View of(TenantId tenant) {
        return scope.writeInTenant(tenant, c -> {
            try {
                Canary canary = null;
                try (PreparedStatement ps = c.prepareStatement("SELECT status, status_since, probe_sent_at, arrived_at, latency_ms, "
                        + "probe_error FROM canaries");
                     ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        int ms = rs.getInt(5);
                        Integer latency = rs.wasNull() ? null : ms;
                        canary = new Canary(rs.getString(1), rs.getTimestamp(2).toInstant(), instant(rs.getTimestamp(3)),
                                instant(rs.getTimestamp(4)), latency, rs.getString(6));
                    }
                }
                List<Alarm> alarms = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT tenant_id, alarm_id, kind, raised_at, cleared_at, detail "
                        + "FROM platform_alarms ORDER BY cleared_at IS NULL DESC, raised_at DESC LIMIT 20");
                     ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        alarms.add(new Alarm(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3),
                                rs.getTimestamp(4).toInstant(), instant(rs.getTimestamp(5)), rs.getString(6)));
                    }
                }
                return new View(canary, alarms);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /** The active tenants' ids (no names, no data), for platform administrators to pick a tenant's board. */
    public List<TenantId> activeTenants() {
        return ActiveTenants.list(scope);
    }

    /** Open alarms of every tenant, for platform administrators. */
    public List<Alarm> openAlarms() {
        return scope.writeAcrossTenants(b -> {
            try (PreparedStatement ps = b.bind(TenantScope.PLATFORM).prepareStatement(
                    "SELECT tenant_id, alarm_id, kind, raised_at, detail FROM open_platform_alarms()");
                 ResultSet rs = ps.executeQuery()) {
                List<Alarm> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(new Alarm(rs.getString(1), rs.getObject(2, UUID.class), rs.getString(3), rs.getTimestamp(4).toInstant(),
                            null, rs.getString(5)));
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private static Instant instant(Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
