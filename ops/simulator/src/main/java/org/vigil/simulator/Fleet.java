package org.vigil.simulator;

import org.vigil.core.TenantId;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A tenant's simulated patients and devices.
 * <p>
 * Identity (UUIDs, names, birth dates, MRNs, device identifiers and models) depends only on the tenant and the
 * patient's index, never on the seed: {@code seed} and {@code run} are separate commands, and a reading stream
 * generated with any seed must resolve against a fleet seeded with any other. Growing the fleet keeps the existing
 * patients as they were. The seed drives physiology (baselines, noise, episodes) only.
 */
public final class Fleet {
    /** MRN system: an Epic-style OID, as the EHRs we integrate with issue them. */
    public static final String MRN_SYSTEM = "urn:oid:1.2.840.114350.1.13.0.1.7.5.737384.14";
    /** Every device is assigned to its patient from this instant on, with no end. */
    public static final Instant ASSIGNED_FROM = Instant.parse("2020-01-01T00:00:00Z");
    /** Ages are computed against a fixed date so the fleet does not change with the calendar. */
    private static final LocalDate AGE_REFERENCE = LocalDate.of(2026, 1, 1);

    private final TenantId tenant;
    private final long seed;
    private final List<SimPatient> patients;
    private final List<SimDevice> devices;
    private final Map<String, SimDevice> byIdentifier;

    private Fleet(TenantId tenant, long seed, List<SimPatient> patients) {
        this.tenant = tenant;
        this.seed = seed;
        this.patients = List.copyOf(patients);
        List<SimDevice> all = new ArrayList<>(patients.size() * DeviceKind.values().length);
        Map<String, SimDevice> index = new HashMap<>();
        for (SimPatient p : patients) {
            for (SimDevice d : p.devices()) {
                all.add(d);
                if (index.put(d.identifier(), d) != null) {
                    throw new IllegalStateException("duplicate device identifier " + d.identifier());
                }
            }
        }
        this.devices = Collections.unmodifiableList(all);
        this.byIdentifier = Map.copyOf(index);
    }

    public static Fleet generate(TenantId tenant, int patientCount, long seed) {
        if (patientCount < 1 || patientCount > DeviceIdentifiers.MAX_PATIENTS) {
            throw new IllegalArgumentException("patient count must be 1.." + DeviceIdentifiers.MAX_PATIENTS
                    + ", was " + patientCount);
        }
        DeviceIdentifiers ids = new DeviceIdentifiers(tenant.value());
        long tenantHash = Mix.hash(tenant.value());
        List<SimPatient> patients = new ArrayList<>(patientCount);
        for (int i = 0; i < patientCount; i++) {
            patients.add(patient(tenant.value(), tenantHash, ids, i));
        }
        return new Fleet(tenant, seed, patients);
    }

    /** The id of patient {@code index} (0-based) of any fleet of the tenant, without generating the fleet. */
    public static UUID patientId(TenantId tenant, int index) {
        return Mix.nameUuid("vigil-sim:" + tenant.value() + ":patient:" + index);
    }

    private static SimPatient patient(String tenant, long tenantHash, DeviceIdentifiers ids, int i) {
        String prefix = "vigil-sim:" + tenant + ":";
        UUID patientId = Mix.nameUuid(prefix + "patient:" + i);
        long h = Mix.combine(tenantHash, i, 0x5EED);
        // RPM populations skew old: ages 40 to 92
        int ageDays = 40 * 365 + (int) Math.floorMod(Mix.mix64(h ^ 0xB1), 52L * 365);
        LocalDate birthDate = AGE_REFERENCE.minusDays(ageDays);
        List<SimDevice> devices = new ArrayList<>(DeviceKind.values().length);
        for (DeviceKind kind : DeviceKind.values()) {
            String serial = null;
            String imei = null;
            String mac = null;
            switch (kind.identifierType()) {
                case SERIAL -> serial = ids.serial(kind, i);
                case MAC -> mac = ids.mac(i);
                case IMEI -> imei = ids.imei(i);
            }
            String model = kind.models().get((int) Math.floorMod(Mix.combine(h, kind.ordinal()), (long) kind.models().size()));
            devices.add(new SimDevice(
                    Mix.nameUuid(prefix + "device:" + i + ":" + kind.code()), kind, model, serial, imei, mac,
                    patientId, Mix.nameUuid(prefix + "assignment:" + i + ":" + kind.code())));
        }
        return new SimPatient(i, patientId, Names.displayName(h), birthDate,
                new PatientIdentifier(MRN_SYSTEM, ids.mrn(i)), devices);
    }

    public TenantId tenant() {
        return tenant;
    }

    public long seed() {
        return seed;
    }

    public List<SimPatient> patients() {
        return patients;
    }

    /** All devices, patient by patient, in {@link DeviceKind} order within a patient. */
    public List<SimDevice> devices() {
        return devices;
    }

    public Optional<SimDevice> device(String identifier) {
        return Optional.ofNullable(byIdentifier.get(identifier));
    }

    /** The patient owning the i-th entry of {@link #devices()}. */
    public SimPatient patientOfDevice(int deviceIndex) {
        return patients.get(deviceIndex / DeviceKind.values().length);
    }
}
