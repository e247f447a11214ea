package org.vigil.ehr;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The outbox as people see it: items by state (held and dead ones above all, with why), one item with every try,
 * re-sending what a person fixed, and the daily reconciliation of what was produced against what arrived.
 */
@Singleton
public class EhrItems {
    private static final String COLUMNS = "item_id, endpoint_id, patient_id, kind, item_key, status, reason, attempts, failures, "
            + "created_at, next_attempt_at, last_attempt_at, last_error, delivered_at, remote_id, control_id, ack_code";

    private final TenantScope scope;
    private final Clock clock;

    public EhrItems(TenantScope scope, Clock clock) {
        this.scope = scope;
        this.clock = clock;
    }

    @Serdeable
    public record Item(UUID itemId, String endpoint, UUID patient, String kind, String key, String status,
                       @Nullable String reason, int attempts, int failures, Instant createdAt, Instant nextAttemptAt,
                       @Nullable Instant lastAttemptAt, @Nullable String lastError, @Nullable Instant deliveredAt,
                       @Nullable String remoteId, @Nullable String controlId, @Nullable String ackCode) {
    }

    @Serdeable
    public record Attempt(int attempt, Instant at, int tookMs, String outcome, String detail) {
    }

    @Serdeable
    public record Detail(Item item, String payload, List<Attempt> attempts) {
    }

    /** Items, newest first, filtered by any of endpoint, status, reason and patient. */
    public List<Item> list(TenantId tenant, @Nullable String endpoint, @Nullable String status, @Nullable String reason,
                           @Nullable UUID patient, int limit) {
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + " FROM ehr_outbox WHERE "
                    + "(?::text IS NULL OR endpoint_id = ?) AND (?::text IS NULL OR status = ?) AND (?::text IS NULL OR reason = ?) "
                    + "AND (?::uuid IS NULL OR patient_id = ?) ORDER BY seq DESC LIMIT ?")) {
                int i = 1;
                for (Object v : new Object[]{endpoint, status, reason}) {
                    ps.setObject(i++, v);
                    ps.setObject(i++, v);
                }
                ps.setObject(i++, patient);
                ps.setObject(i++, patient);
                ps.setInt(i, Math.max(1, Math.min(limit, 1000)));
                List<Item> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(item(rs));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    public Optional<Detail> detail(TenantId tenant, UUID item) {
        return scope.writeInTenant(tenant, c -> {
            try {
                Item found;
                String payload;
                try (PreparedStatement ps = c.prepareStatement("SELECT " + COLUMNS + ", payload::text FROM ehr_outbox WHERE item_id = ?")) {
                    ps.setObject(1, item);
                    try (ResultSet rs = ps.executeQuery()) {
                        if (!rs.next()) {
                            return Optional.<Detail>empty();
                        }
                        found = item(rs);
                        payload = rs.getString(18);
                    }
                }
                List<Attempt> attempts = new ArrayList<>();
                try (PreparedStatement ps = c.prepareStatement("SELECT attempt, at, took_ms, outcome, detail FROM ehr_attempts "
                        + "WHERE item_id = ? ORDER BY attempt")) {
                    ps.setObject(1, item);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            attempts.add(new Attempt(rs.getInt(1), rs.getTimestamp(2).toInstant(), rs.getInt(3), rs.getString(4),
                                    rs.getString(5)));
                        }
                    }
                }
                return Optional.of(new Detail(found, payload, attempts));
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /**
     * Puts held or dead items back in the queue, as new (failures forgotten), for one item or all of an endpoint's
     * items in a state and reason. Consent is checked again when they are sent: re-sending never bypasses it.
     *
     * @return how many were re-queued
     */
    public int resend(TenantId tenant, @Nullable UUID item, @Nullable String endpoint, @Nullable String status,
                      @Nullable String reason) {
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE ehr_outbox SET status = 'pending', reason = NULL, failures = 0, "
                    + "next_attempt_at = ? WHERE status IN ('held', 'dead') AND (?::uuid IS NULL OR item_id = ?) "
                    + "AND (?::text IS NULL OR endpoint_id = ?) AND (?::text IS NULL OR status = ?) AND (?::text IS NULL OR reason = ?)")) {
                ps.setTimestamp(1, Timestamp.from(clock.instant()));
                ps.setObject(2, item);
                ps.setObject(3, item);
                int i = 4;
                for (Object v : new Object[]{endpoint, status, reason}) {
                    ps.setObject(i++, v);
                    ps.setObject(i++, v);
                }
                return ps.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    /**
     * One row of the reconciliation: of the items an endpoint produced on a UTC day, how many are delivered, still
     * pending, held (by reason) and dead. Produced = delivered + pending + held + dead, always.
     */
    @Serdeable
    public record Reconciliation(LocalDate day, String endpoint, long produced, long delivered, long pending,
                                 Map<String, Long> held, long dead) {
    }

    public List<Reconciliation> reconciliation(TenantId tenant, LocalDate day) {
        Instant from = day.atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant to = day.plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        return scope.writeInTenant(tenant, c -> {
            try {
                return reconcile(c, day, from, to);
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private static List<Reconciliation> reconcile(Connection c, LocalDate day, Instant from, Instant to) throws SQLException {
        Map<String, long[]> counts = new LinkedHashMap<>();
        Map<String, Map<String, Long>> held = new LinkedHashMap<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT e.endpoint_id, o.status, coalesce(o.reason, ''), count(o.item_id) "
                + "FROM ehr_endpoints e LEFT JOIN ehr_outbox o ON o.tenant_id = e.tenant_id AND o.endpoint_id = e.endpoint_id "
                + "AND o.created_at >= ? AND o.created_at < ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3")) {
            ps.setTimestamp(1, Timestamp.from(from));
            ps.setTimestamp(2, Timestamp.from(to));
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    String endpoint = rs.getString(1);
                    long[] n = counts.computeIfAbsent(endpoint, e -> new long[4]);
                    Map<String, Long> h = held.computeIfAbsent(endpoint, e -> new LinkedHashMap<>());
                    String status = rs.getString(2);
                    long count = rs.getLong(4);
                    if (status == null) {
                        continue;
                    }
                    switch (status) {
                        case "delivered" -> n[0] += count;
                        case "pending" -> n[1] += count;
                        case "held" -> h.merge(rs.getString(3), count, Long::sum);
                        default -> n[3] += count;
                    }
                }
            }
        }
        List<Reconciliation> out = new ArrayList<>();
        counts.forEach((endpoint, n) -> {
            Map<String, Long> h = held.get(endpoint);
            long heldTotal = h.values().stream().mapToLong(Long::longValue).sum();
            out.add(new Reconciliation(day, endpoint, n[0] + n[1] + heldTotal + n[3], n[0], n[1], h, n[3]));
        });
        return out;
    }

    private static Item item(ResultSet rs) throws SQLException {
        return new Item(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, UUID.class), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8), rs.getInt(9), rs.getTimestamp(10).toInstant(),
                rs.getTimestamp(11).toInstant(), instant(rs.getTimestamp(12)), rs.getString(13), instant(rs.getTimestamp(14)),
                rs.getString(15), rs.getString(16), rs.getString(17));
    }

    @Nullable
    private static Instant instant(@Nullable Timestamp t) {
        return t == null ? null : t.toInstant();
    }
}
