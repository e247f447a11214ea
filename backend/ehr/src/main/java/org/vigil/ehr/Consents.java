package org.vigil.ehr;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Patients' consent per EHR endpoint. Nothing about a patient leaves for an endpoint without an active consent:
 * items produced without one are held ({@code consent-missing}), and a revocation holds every item not yet sent
 * in the same transaction, so the dispatcher cannot pick one up afterwards.
 */
@Singleton
public class Consents {
    private final TenantScope scope;
    private final Clock clock;

    public Consents(TenantScope scope, Clock clock) {
        this.scope = scope;
        this.clock = clock;
    }

    @Serdeable
    public record Consent(UUID patient, String endpoint, String status, Instant changedAt, String changedBy,
                          @Nullable String note) {
    }

    /** Thrown for a patient or endpoint the tenant does not have. */
    public static class UnknownReference extends RuntimeException {
        public UnknownReference(String message) {
            super(message);
        }
    }

    /**
     * Records consent as given ({@code active}) or withdrawn ({@code revoked}).
     *
     * @return items of this patient for this endpoint that were held by the revocation (0 when granting)
     */
    public int set(TenantId tenant, UUID patient, String endpoint, boolean active, String user, @Nullable String note) {
        Instant now = clock.instant();
        String status = active ? "active" : "revoked";
        return scope.writeInTenant(tenant, c -> {
            try {
                try (PreparedStatement ps = c.prepareStatement("""
                        INSERT INTO ehr_consents (tenant_id, patient_id, endpoint_id, status, changed_at, changed_by, note)
                        SELECT ?, p.patient_id, e.endpoint_id, ?, ?, ?, ? FROM patients p, ehr_endpoints e
                        WHERE p.patient_id = ? AND e.endpoint_id = ?
                        ON CONFLICT (tenant_id, patient_id, endpoint_id) DO UPDATE SET status = excluded.status,
                            changed_at = excluded.changed_at, changed_by = excluded.changed_by, note = excluded.note""")) {
                    ps.setString(1, tenant.value());
                    ps.setString(2, status);
                    ps.setTimestamp(3, Timestamp.from(now));
                    ps.setString(4, user);
                    ps.setString(5, note);
                    ps.setObject(6, patient);
                    ps.setString(7, endpoint);
                    if (ps.executeUpdate() == 0) {
                        throw new UnknownReference("no patient " + patient + " or no endpoint " + endpoint);
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ehr_consent_history (tenant_id, patient_id, endpoint_id, "
                        + "at, status, changed_by, note) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                    ps.setString(1, tenant.value());
                    ps.setObject(2, patient);
                    ps.setString(3, endpoint);
                    ps.setTimestamp(4, Timestamp.from(now));
                    ps.setString(5, status);
                    ps.setString(6, user);
                    ps.setString(7, note);
                    ps.executeUpdate();
                }
                if (active) {
                    return 0;
                }
                try (PreparedStatement ps = c.prepareStatement("UPDATE ehr_outbox SET status = 'held', reason = 'consent-revoked' "
                        + "WHERE patient_id = ? AND endpoint_id = ? AND status = 'pending'")) {
                    ps.setObject(1, patient);
                    ps.setString(2, endpoint);
                    return ps.executeUpdate();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    public List<Consent> of(TenantId tenant, UUID patient) {
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, endpoint_id, status, changed_at, changed_by, note "
                    + "FROM ehr_consents WHERE patient_id = ? ORDER BY endpoint_id")) {
                ps.setObject(1, patient);
                List<Consent> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Consent(rs.getObject(1, UUID.class), rs.getString(2), rs.getString(3),
                                rs.getTimestamp(4).toInstant(), rs.getString(5), rs.getString(6)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }
}
