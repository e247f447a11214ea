package org.vigil.ehr.internal;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.TenantId;
import org.vigil.ehr.PatientIdentity;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/** The outbox's statements, each inside a transaction the caller owns and has bound to the tenant. */
final class Outbox {
    /**
     * "This item, if it is still pending", for the single-row updates that record outcomes. The status is compared
     * as {@code status || ''}, which means the same but is not something the planner can match with the
     * pending-only queue index's predicate: while a backlog is newer than the statistics, the planner takes that
     * index for nearly empty and, allowed to, scans it whole (every pending item of the tenant) for each update
     * instead of one primary-key lookup: 5,200 buffers and 8 ms per delivered item at 10,000 pending, against 6.
     */
    private static final String STILL_PENDING = "item_id = ? AND status || '' = 'pending'";

    private Outbox() {
    }

    /** An item to add; {@code key} makes it idempotent per endpoint. */
    record NewItem(String endpoint, UUID patient, String kind, String key, String payload) {
    }

    /**
     * Adds items: pending when the patient's consent for the endpoint is active, else held with
     * {@code consent-missing}; never for synthetic (canary) patients; an item already there stays as it is.
     *
     * @return how many were new
     */
    static int add(Connection c, TenantId tenant, Collection<NewItem> items, Instant now) throws SQLException {
        if (items.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("""
                INSERT INTO ehr_outbox (tenant_id, item_id, endpoint_id, patient_id, kind, item_key, payload, status, reason,
                                        created_at, next_attempt_at)
                SELECT ?, ?, ?, p.patient_id, ?, ?, ?::jsonb,
                       CASE WHEN c.status = 'active' THEN 'pending' ELSE 'held' END,
                       CASE WHEN c.status = 'active' THEN NULL ELSE 'consent-missing' END, ?, ?
                FROM patients p LEFT JOIN ehr_consents c
                     ON c.tenant_id = p.tenant_id AND c.patient_id = p.patient_id AND c.endpoint_id = ?
                WHERE p.patient_id = ? AND NOT p.synthetic
                ON CONFLICT (tenant_id, endpoint_id, item_key) DO NOTHING""")) {
            Timestamp at = Timestamp.from(now);
            for (NewItem i : items) {
                ps.setString(1, tenant.value());
                ps.setObject(2, UUID.randomUUID());
                ps.setString(3, i.endpoint());
                ps.setString(4, i.kind());
                ps.setString(5, i.key());
                ps.setString(6, i.payload());
                ps.setTimestamp(7, at);
                ps.setTimestamp(8, at);
                ps.setString(9, i.endpoint());
                ps.setObject(10, i.patient());
                ps.addBatch();
            }
            int added = 0;
            for (int n : ps.executeBatch()) {
                added += Math.max(n, 0);
            }
            return added;
        }
    }

    /** An item taken for sending, with the patient as this endpoint's EHR knows them. */
    record Claimed(UUID itemId, long seq, UUID patient, String kind, String key, String payload, int attempts, int failures,
                   @Nullable PatientIdentity identity, @Nullable String identityProblem) {
    }

    /**
     * Holds pending items whose patient has no active consent for the endpoint (given, then revoked, or never):
     * checked again right before sending, in the transaction that claims.
     * <p>
     * NOT IN rather than NOT EXISTS: it runs on every claim over every pending item of the endpoint, and the
     * statistics rarely know a backlog that built up during an outage (a fresh tenant's, or a few thousand rows in
     * a large table). Estimating one pending row, the planner chose a nested loop that re-read all the endpoint's
     * consents for each pending item: 60-130 ms per claim at 6,000 pending, most of PostgreSQL's time while a
     * backlog drained. NOT IN over NOT NULL columns is the same test, and is planned as one hashed subquery
     * whatever the estimate for the outbox, so each pending item costs one probe. (PostgreSQL hashes it while the
     * endpoint's active consents fit in work_mem: some 100,000 patients at the default 4 MB.)
     */
    static int holdUnconsented(Connection c, String endpoint) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                UPDATE ehr_outbox o SET status = 'held', reason = 'consent-missing'
                WHERE o.endpoint_id = ? AND o.status = 'pending' AND (o.tenant_id, o.patient_id) NOT IN (
                    SELECT c.tenant_id, c.patient_id FROM ehr_consents c WHERE c.endpoint_id = ? AND c.status = 'active')""")) {
            ps.setString(1, endpoint);
            ps.setString(2, endpoint);
            return ps.executeUpdate();
        }
    }

    /**
     * The next items to send: for each patient not already in flight whose oldest pending item is due, up to
     * {@code perPatient} of their oldest pending items in order (a patient's items never overtake each other;
     * different patients' items are independent), at most {@code limit} in all.
     */
    static List<Claimed> ready(Connection c, String endpoint, Instant now, Collection<UUID> inFlight, int perPatient,
                               int limit, String identifierSystem) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("""
                SELECT q.item_id, q.seq, q.patient_id, q.kind, q.item_key, q.payload::text, q.attempts, q.failures,
                       p.display_name, p.birth_date,
                       (SELECT array_agg(pi.value ORDER BY pi.value) FROM patient_identifiers pi
                        WHERE pi.tenant_id = q.tenant_id AND pi.patient_id = q.patient_id AND pi.system = ?)
                FROM (SELECT o.*, row_number() OVER w AS rn, first_value(o.next_attempt_at) OVER w AS head_due
                      FROM ehr_outbox o
                      WHERE o.endpoint_id = ? AND o.status = 'pending' AND NOT (o.patient_id = ANY (?))
                      WINDOW w AS (PARTITION BY o.patient_id ORDER BY o.seq)) q
                JOIN patients p ON p.tenant_id = q.tenant_id AND p.patient_id = q.patient_id
                WHERE q.rn <= ? AND q.head_due <= ?
                ORDER BY q.seq LIMIT ?""")) {
            ps.setString(1, identifierSystem);
            ps.setString(2, endpoint);
            Array busy = c.createArrayOf("uuid", inFlight.toArray());
            ps.setArray(3, busy);
            ps.setInt(4, perPatient);
            ps.setTimestamp(5, Timestamp.from(now));
            ps.setInt(6, limit);
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID patient = rs.getObject(3, UUID.class);
                    Array ids = rs.getArray(11);
                    String[] values = ids == null ? new String[0] : (String[]) ids.getArray();
                    PatientIdentity identity = null;
                    String problem = null;
                    if (values.length == 0) {
                        problem = "patient-identifier-missing";
                    } else if (values.length > 1) {
                        problem = "patient-identifier-ambiguous";
                    } else {
                        java.sql.Date birth = rs.getDate(10);
                        LocalDate born = birth == null ? null : birth.toLocalDate();
                        identity = new PatientIdentity(patient, identifierSystem, values[0], rs.getString(9), born);
                    }
                    out.add(new Claimed(rs.getObject(1, UUID.class), rs.getLong(2), patient, rs.getString(4), rs.getString(5),
                            rs.getString(6), rs.getInt(7), rs.getInt(8), identity, problem));
                }
            }
            return out;
        }
    }

    static void delivered(Connection c, Collection<Outcome> outcomes, Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ehr_outbox SET status = 'delivered', delivered_at = ?, "
                + "last_attempt_at = ?, attempts = attempts + 1, remote_id = ?, control_id = ?, ack_code = ?, last_error = NULL "
                + "WHERE " + STILL_PENDING)) {
            for (Outcome o : outcomes) {
                ps.setTimestamp(1, Timestamp.from(now));
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setString(3, o.remoteId());
                ps.setString(4, o.controlId());
                ps.setString(5, o.ackCode());
                ps.setObject(6, o.itemId());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /**
     * A failed try: recorded as an attempt; the item is tried again at {@code next}, or dead-lettered when
     * {@code dead}; {@code countsAgainst} says whether the item itself failed (a rejection) or the endpoint did.
     */
    static void failed(Connection c, TenantId tenant, Outcome o, boolean countsAgainst, boolean dead, Instant next,
                       Instant now, int tookMs) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ehr_outbox SET attempts = attempts + 1, "
                + "failures = failures + ?, last_attempt_at = ?, last_error = ?, next_attempt_at = ?, control_id = coalesce(?, control_id), "
                + "ack_code = coalesce(?, ack_code), status = CASE WHEN ? THEN 'dead' ELSE status END, "
                + "reason = CASE WHEN ? THEN ? ELSE reason END WHERE " + STILL_PENDING + " RETURNING attempts")) {
            ps.setInt(1, countsAgainst ? 1 : 0);
            ps.setTimestamp(2, Timestamp.from(now));
            ps.setString(3, o.detail());
            ps.setTimestamp(4, Timestamp.from(next));
            ps.setString(5, o.controlId());
            ps.setString(6, o.ackCode());
            ps.setBoolean(7, dead);
            ps.setBoolean(8, dead);
            ps.setString(9, o.result().reason());
            ps.setObject(10, o.itemId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    return;
                }
                attempt(c, tenant, o.itemId(), rs.getInt(1), now, tookMs, dead ? "dead" : o.result().reason(), o.detail());
            }
        }
    }

    static void held(Connection c, UUID item, String reason, String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE ehr_outbox SET status = 'held', reason = ?, last_error = ? "
                + "WHERE " + STILL_PENDING)) {
            ps.setString(1, reason);
            ps.setString(2, detail);
            ps.setObject(3, item);
            ps.executeUpdate();
        }
    }

    private static void attempt(Connection c, TenantId tenant, UUID item, int attempt, Instant at, int tookMs, String outcome,
                                String detail) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO ehr_attempts (tenant_id, item_id, attempt, at, took_ms, outcome, detail) "
                + "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
            ps.setString(1, tenant.value());
            ps.setObject(2, item);
            ps.setInt(3, attempt);
            ps.setTimestamp(4, Timestamp.from(at));
            ps.setInt(5, tookMs);
            ps.setString(6, outcome);
            ps.setString(7, detail.length() > 2000 ? detail.substring(0, 2000) : detail);
            ps.executeUpdate();
        }
    }
}
