package org.vigil.ui.data;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertConfig;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.Band;
import org.vigil.alerting.Thresholds;
import org.vigil.core.TenantId;
import org.vigil.ehr.Consents;
import org.vigil.registry.PatientSummary;
import org.vigil.registry.DeviceFleet;
import org.vigil.registry.DeviceView;
import org.vigil.registry.Patients;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.StoredReading;
import org.vigil.telemetry.TelemetryUnavailableException;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * One page of the tenant's patients with what a care manager scans for: each vital's latest value judged against
 * the patient's thresholds, days with readings in the current 30-day period, devices (flat, weak, silent) and
 * consent. A page costs a fixed number of queries whatever its size.
 */
@Singleton
public class PatientRoster {
    private static final Logger LOG = LoggerFactory.getLogger(PatientRoster.class);
    /** How long a device may stay quiet before it is flagged when the tenant's rules say nothing. */
    static final Duration DEFAULT_SILENT_AFTER = Duration.ofHours(24);
    static final double LOW_BATTERY = 20;

    private final Patients patients;
    private final DeviceFleet devices;
    private final ReadingHistory history;
    private final AlertConfigs configs;
    private final Consents consents;
    private final Clock clock;

    public PatientRoster(Patients patients, DeviceFleet devices, ReadingHistory history, AlertConfigs configs, Consents consents,
                         Clock clock) {
        this.patients = patients;
        this.devices = devices;
        this.history = history;
        this.configs = configs;
        this.consents = consents;
        this.clock = clock;
    }

    /** A vital's latest value and its band against the patient's thresholds (NORMAL when none apply). */
    public record Vital(String code, String panel, double value, String unit, Instant effective, Band band) {
        public boolean outOfRange() {
            return band != Band.NORMAL;
        }
    }

    /** @param silent nothing received for longer than the tenant's silence period */
    public record Device(DeviceView view, boolean silent, boolean lowBattery) {
    }

    /** @param vitals null when the reading history could not be read (the rest of the row still shows) */
    public record Row(PatientSummary patient, @Nullable List<Vital> vitals, @Nullable RpmPeriod period,
                      List<Device> devices, List<Consents.Consent> consents) {
        public boolean anyOutOfRange() {
            return vitals != null && vitals.stream().anyMatch(Vital::outOfRange);
        }

        public boolean anySilent() {
            return devices.stream().anyMatch(Device::silent);
        }
    }

    public int count(TenantId tenant, @Nullable String search) {
        return patients.count(tenant, blankToNull(search));
    }

    public List<Row> page(TenantId tenant, @Nullable String search, int offset, int limit) {
        List<PatientSummary> page = patients.search(tenant, blankToNull(search), offset, limit);
        return rows(tenant, page);
    }

    public List<Row> rows(TenantId tenant, List<PatientSummary> page) {
        if (page.isEmpty()) {
            return List.of();
        }
        Instant now = clock.instant();
        List<UUID> ids = page.stream().map(PatientSummary::patientId).toList();
        Map<UUID, List<DeviceView>> fleet = devices.forPatients(tenant, ids);
        AlertConfig.DeviceWatch watch = watch(tenant);
        ZoneId zone = configs.timeZone(tenant);
        Map<UUID, List<StoredReading>> latest = null;
        Map<UUID, Set<LocalDate>> days = null;
        try {
            latest = history.latestFor(tenant, ids);
            Instant earliest = page.stream().map(p -> periodStart(p.enrolledAt(), now, zone)).min(Comparator.naturalOrder()).orElse(now);
            days = history.readingDays(tenant, ids, earliest, now.plusSeconds(1), zone);
        } catch (TelemetryUnavailableException e) {
            LOG.debug("patient list without reading history: {}", e.getMessage());
        }
        List<Row> rows = new ArrayList<>(page.size());
        for (PatientSummary p : page) {
            List<Vital> vitals = latest == null ? null : vitals(latest.getOrDefault(p.patientId(), List.of()),
                    thresholds(tenant, p.patientId()));
            RpmPeriod period = days == null ? null : RpmPeriod.current(p.enrolledAt(), now, days.getOrDefault(p.patientId(), Set.of()), zone);
            List<Device> ds = fleet.getOrDefault(p.patientId(), List.of()).stream()
                    .map(d -> new Device(d, watch.silent(d.lastSeen(), d.assignedSince(), now),
                            d.batteryPercent() != null && d.batteryPercent() < lowBattery(watch)))
                    .toList();
            rows.add(new Row(p, vitals, period, ds, consents.of(tenant, p.patientId())));
        }
        return rows;
    }

    /** The thresholds in force for the patient, by LOINC code. */
    public Map<String, Thresholds> thresholds(TenantId tenant, UUID patient) {
        Map<String, Thresholds> out = new HashMap<>();
        for (Thresholds t : configs.thresholds(tenant, patient)) {
            out.put(t.code(), t);
        }
        return out;
    }

    static List<Vital> vitals(List<StoredReading> latest, Map<String, Thresholds> limits) {
        List<Vital> out = new ArrayList<>();
        for (StoredReading r : latest) {
            Thresholds t = limits.get(r.code());
            out.add(new Vital(r.code(), r.panel(), r.value(), r.unit(), r.effective(), t == null ? Band.NORMAL : t.classify(r.value())));
        }
        return out;
    }

    /** The tenant's device watch decides silence; a tenant that does not watch devices still sees day-long silences. */
    private AlertConfig.DeviceWatch watch(TenantId tenant) {
        AlertConfig.DeviceWatch w = configs.deviceWatch(tenant);
        return w.silentAfter() == null ? new AlertConfig.DeviceWatch(DEFAULT_SILENT_AFTER, w.batteryBelowPercent()) : w;
    }

    static Instant periodStart(Instant enrolledAt, Instant now, ZoneId zone) {
        return RpmPeriod.current(enrolledAt, now, Set.of(), zone).start().atStartOfDay(zone).toInstant();
    }

    private static double lowBattery(AlertConfig.DeviceWatch w) {
        return w.batteryBelowPercent() == null ? LOW_BATTERY : w.batteryBelowPercent();
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
