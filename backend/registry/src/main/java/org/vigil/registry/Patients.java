package org.vigil.registry;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.registry.internal.PatientRepository;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Patients as care teams look them up: the roster (search, count, one patient), and the check the API needs to
 * decide between "your patient" and 404. Synthetic patients (the alert canary's) are never listed or found here.
 */
@Singleton
public class Patients {
    private static final String COLUMNS = """
            p.patient_id, p.display_name, p.birth_date, p.created_at,
            ARRAY(SELECT i.value FROM patient_identifiers i WHERE i.tenant_id = p.tenant_id AND i.patient_id = p.patient_id
                  ORDER BY i.system, i.value)""";
    /** The roster's order; patients_roster (V5__dashboard.sql) is on the same expression. */
    private static final String ORDER = "lower(p.display_name), p.patient_id";

    private final TenantScope scope;
    private final PatientRepository patients;

    public Patients(TenantScope scope, PatientRepository patients) {
        this.scope = scope;
        this.patients = patients;
    }

    public boolean exists(TenantId tenant, UUID patientId) {
        return scope.readInTenant(tenant, () -> patients.existsByTenantIdAndPatientId(tenant.value(), patientId));
    }

    /**
     * One page of the tenant's patients ordered by display name (case-insensitive, then id), for a lazily loaded
     * roster.
     *
     * @param text   null or blank: every patient; else patients whose display name contains it (case-insensitive)
     *               or who have an identifier (an MRN, of any system) equal to it
     * @param limit  1–1000
     */
    public List<PatientSummary> search(TenantId tenant, @Nullable String text, int offset, int limit) {
        Filter f = filter(tenant, text);
        String sql = "SELECT " + COLUMNS + " FROM patients p" + f.sql() + " ORDER BY " + ORDER + " OFFSET ? LIMIT ?";
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = prepare(c, sql, f.args())) {
                int n = f.args().size();
                ps.setInt(n + 1, Math.max(0, offset));
                ps.setInt(n + 2, Math.max(1, Math.min(limit, 1000)));
                return read(ps);
            } catch (SQLException e) {
                throw new IllegalStateException("could not search patients: " + e.getMessage(), e);
            }
        });
    }

    /** How many patients {@link #search} pages through for this text. */
    public int count(TenantId tenant, @Nullable String text) {
        Filter f = filter(tenant, text);
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = prepare(c, "SELECT count(*) FROM patients p" + f.sql(), f.args());
                 ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            } catch (SQLException e) {
                throw new IllegalStateException("could not count patients: " + e.getMessage(), e);
            }
        });
    }

    /** The patient, unless the tenant has no such patient or it is synthetic. */
    public Optional<PatientSummary> find(TenantId tenant, UUID patientId) {
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = prepare(c, "SELECT " + COLUMNS + " FROM patients p "
                    + "WHERE p.tenant_id = ? AND p.patient_id = ? AND NOT p.synthetic", List.of(tenant.value(), patientId))) {
                return read(ps).stream().findFirst();
            } catch (SQLException e) {
                throw new IllegalStateException("could not read the patient: " + e.getMessage(), e);
            }
        });
    }

    private record Filter(String sql, List<Object> args) {
    }

    private static Filter filter(TenantId tenant, @Nullable String text) {
        List<Object> args = new ArrayList<>();
        args.add(tenant.value());
        // tenant_id is named as well as enforced by row-level security, so the planner can use it in the index.
        StringBuilder sql = new StringBuilder(" WHERE p.tenant_id = ? AND NOT p.synthetic");
        String t = text == null ? "" : text.strip();
        if (!t.isEmpty()) {
            sql.append(" AND (lower(p.display_name) LIKE lower(?) ESCAPE '\\' OR p.patient_id IN "
                    + "(SELECT i.patient_id FROM patient_identifiers i WHERE i.tenant_id = ? AND i.value = ?))");
            args.add("%" + likeEscaped(t) + "%");
            args.add(tenant.value());
            args.add(t);
        }
        return new Filter(sql.toString(), List.copyOf(args));
    }

    /** The text as a LIKE pattern that matches it literally: '%', '_' and the escape character lose their meaning. */
    static String likeEscaped(String text) {
        return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> args) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        for (int i = 0; i < args.size(); i++) {
            ps.setObject(i + 1, args.get(i));
        }
        return ps;
    }

    private static List<PatientSummary> read(PreparedStatement ps) throws SQLException {
        List<PatientSummary> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
                Array ids = rs.getArray(5);
                List<String> identifiers = ids == null ? List.of() : Arrays.asList((String[]) ids.getArray());
                out.add(new PatientSummary(rs.getObject(1, UUID.class), rs.getString(2), rs.getObject(3, LocalDate.class),
                        identifiers, rs.getTimestamp(4).toInstant()));
            }
        }
        return out;
    }
}
