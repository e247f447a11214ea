package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.vigil.alerting.config.AlertConfigReader;
import org.vigil.alerting.config.ConfigRejected;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tenants' alerting configurations and patients' settings: validated on the way in (a document with any problem
 * is refused whole, each problem with its field and line), kept as written with every version, and served to the
 * evaluator as a per-tenant snapshot that is refreshed when this process changes it or, for changes made by
 * another process, after {@link AlertingSettings#configRefresh()}.
 */
@Singleton
public class AlertConfigs {
    private final TenantScope scope;
    private final Clock clock;
    private final Duration refresh;
    private final Map<TenantId, Snapshot> snapshots = new ConcurrentHashMap<>();

    public AlertConfigs(TenantScope scope, Clock clock, AlertingSettings settings) {
        this.scope = scope;
        this.clock = clock;
        this.refresh = settings.configRefresh();
    }

    /** The configuration document in force and its version; version 0 is the built-in default. */
    public record Current(int version, String document, @Nullable String updatedBy, @Nullable Instant updatedAt) {
    }

    /**
     * What the evaluator needs about one tenant.
     *
     * @param synthetic the tenant's synthetic (canary) patients: platform rules, whatever the tenant configured
     */
    public record Snapshot(AlertConfig config, Map<UUID, PatientSettings> patients, Map<UUID, Instant> enrolledAt,
                           Set<UUID> synthetic, Instant loadedAt, Map<UUID, PatientRules> compiled) {
        public PatientRules rulesFor(UUID patient) {
            return compiled.computeIfAbsent(patient, p -> synthetic.contains(p) ? PatientRules.CANARY
                    : config.rulesFor(patients.getOrDefault(p, PatientSettings.NOT_ENROLLED)));
        }

        public PatientSettings settings(UUID patient) {
            return patients.getOrDefault(patient, PatientSettings.NOT_ENROLLED);
        }
    }

    public Current current(TenantId tenant) {
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT version, document, updated_by, updated_at FROM alert_configs ORDER BY version DESC LIMIT 1");
                 ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return new Current(rs.getInt(1), rs.getString(2), rs.getString(3), rs.getTimestamp(4).toInstant());
                }
                return new Current(0, AlertConfigReader.defaultDocument(), null, null);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Validates and stores a new version.
     *
     * @param expectedVersion the version the editor started from: a concurrent change is refused, not overwritten
     * @throws ConfigRejected when the document has problems (nothing is stored)
     * @throws IllegalStateException when someone else saved a newer version meanwhile
     */
    public Current put(TenantId tenant, String document, String user, @Nullable Integer expectedVersion) {
        AlertConfigReader.read(document);
        Current saved = scope.writeInTenant(tenant, c -> {
            try {
                int latest;
                try (PreparedStatement ps = c.prepareStatement("SELECT coalesce(max(version), 0) FROM alert_configs");
                     ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    latest = rs.getInt(1);
                }
                if (expectedVersion != null && expectedVersion != latest) {
                    throw new IllegalStateException("The configuration changed meanwhile (now version " + latest
                            + ", you edited " + expectedVersion + "): reload it and apply your change again.");
                }
                Instant now = clock.instant();
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO alert_configs (tenant_id, version, document, updated_by, updated_at) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, tenant.value());
                    ps.setInt(2, latest + 1);
                    ps.setString(3, document);
                    ps.setString(4, user);
                    ps.setTimestamp(5, Timestamp.from(now));
                    ps.executeUpdate();
                }
                return new Current(latest + 1, document, user, now);
            } catch (SQLException e) {
                throw new IllegalStateException("Could not store the configuration: " + e.getMessage(), e);
            }
        });
        snapshots.remove(tenant);
        return saved;
    }

    /** The patient's settings document, if one was set (else the tenant's default programs apply). */
    public Optional<String> patientDocument(TenantId tenant, UUID patient) {
        return scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT document FROM patient_alert_settings WHERE patient_id = ?")) {
                ps.setObject(1, patient);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Validates and stores a patient's settings against the tenant's current configuration.
     *
     * @return false when the tenant has no such patient
     */
    public boolean putPatient(TenantId tenant, UUID patient, String document, String user) {
        PatientSettings s = AlertConfigReader.readPatient(document, snapshot(tenant).config());
        boolean stored = scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("""
                    INSERT INTO patient_alert_settings (tenant_id, patient_id, document, programs, snoozed_until, enrolled_at, updated_by, updated_at)
                    SELECT ?, patient_id, ?, ?, ?, ?, ?, ? FROM patients WHERE patient_id = ?
                    ON CONFLICT (tenant_id, patient_id) DO UPDATE SET document = excluded.document, programs = excluded.programs,
                        snoozed_until = excluded.snoozed_until, updated_by = excluded.updated_by, updated_at = excluded.updated_at""")) {
                Instant now = clock.instant();
                ps.setString(1, tenant.value());
                ps.setString(2, document);
                ps.setArray(3, c.createArrayOf("text", s.programs().toArray()));
                ps.setTimestamp(4, s.snoozedUntil() == null ? null : Timestamp.from(s.snoozedUntil()));
                ps.setTimestamp(5, Timestamp.from(now));
                ps.setString(6, user);
                ps.setTimestamp(7, Timestamp.from(now));
                ps.setObject(8, patient);
                return ps.executeUpdate() == 1;
            } catch (SQLException e) {
                throw new IllegalStateException("Could not store the patient's alert settings: " + e.getMessage(), e);
            }
        });
        snapshots.remove(tenant);
        return stored;
    }

    /**
     * The limits that apply to the patient per LOINC code (each panel component on its own), ordered by code: the
     * tenant's programs the patient is enrolled in (or its default programs) with the patient's own thresholds in
     * their place, exactly as the evaluator judges them, for chart bands and out-of-range highlights. As fresh as
     * {@link #snapshot}: a change made in another process shows within {@link AlertingSettings#configRefresh()}.
     */
    public List<Thresholds> thresholds(TenantId tenant, UUID patient) {
        List<Thresholds> out = new ArrayList<>();
        for (Rule r : snapshot(tenant).rulesFor(patient).rules()) {
            if (r instanceof Rule.Threshold t) {
                out.add(t.thresholds());
            }
        }
        out.sort(Comparator.comparing(Thresholds::code));
        return List.copyOf(out);
    }

    /**
     * The names of the programs in the tenant's configuration, in the order it lists them. Alerts carry a program
     * name, but not always one of these: device-watch alerts carry {@link Rule#DEVICES}.
     */
    public List<String> programs(TenantId tenant) {
        return List.copyOf(snapshot(tenant).config().programs().keySet());
    }

    /**
     * The tenant's device watch: after how long without a word a device is silent ({@link AlertConfig.DeviceWatch#silent})
     * and the battery level below which it is low; either may be null (not watched).
     */
    public AlertConfig.DeviceWatch deviceWatch(TenantId tenant) {
        return snapshot(tenant).config().devices();
    }

    /** The clinic's time zone ({@link AlertConfig#timeZone}). */
    public ZoneId timeZone(TenantId tenant) {
        return snapshot(tenant).config().timeZone();
    }

    /** Drops this process's copy of the tenant's rules, e.g. after the registry changed which patients are synthetic. */
    public void forget(TenantId tenant) {
        snapshots.remove(tenant);
    }

    /** The tenant's rules as the evaluator uses them. */
    public Snapshot snapshot(TenantId tenant) {
        Instant now = clock.instant();
        Snapshot s = snapshots.get(tenant);
        if (s == null || s.loadedAt().plus(refresh).isBefore(now)) {
            s = load(tenant, now);
            snapshots.put(tenant, s);
        }
        return s;
    }

    private Snapshot load(TenantId tenant, Instant now) {
        Current current = current(tenant);
        AlertConfig config = AlertConfigReader.read(current.document());
        Map<UUID, PatientSettings> patients = new HashMap<>();
        Map<UUID, Instant> enrolled = new HashMap<>();
        Set<UUID> synthetic = new HashSet<>();
        scope.writeInTenant(tenant, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT patient_id, document, enrolled_at FROM patient_alert_settings");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    UUID id = rs.getObject(1, UUID.class);
                    patients.put(id, readStored(rs.getString(2)));
                    enrolled.put(id, rs.getTimestamp(3).toInstant());
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            try (PreparedStatement ps = c.prepareStatement("SELECT patient_id FROM patients WHERE synthetic");
                 ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    synthetic.add(rs.getObject(1, UUID.class));
                }
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
        return new Snapshot(config, patients, enrolled, Set.copyOf(synthetic), now, new ConcurrentHashMap<>());
    }

    /** A stored document was valid when stored; if a later change made it unreadable, the defaults apply to that patient. */
    private static PatientSettings readStored(String document) {
        try {
            return AlertConfigReader.readPatient(document, null);
        } catch (ConfigRejected e) {
            return PatientSettings.NOT_ENROLLED;
        }
    }
}
