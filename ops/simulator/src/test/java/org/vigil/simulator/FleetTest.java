package org.vigil.simulator;

import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetTest {
    private static final TenantId DEMO = new TenantId("demo");
    // the CHECK constraints of migrations/postgres/V1
    private static final Pattern MAC = Pattern.compile("^[0-9A-F]{2}(:[0-9A-F]{2}){5}$");
    private static final Pattern IMEI = Pattern.compile("^[0-9]{15}$");
    private static final Set<String> KINDS = Set.of("blood-pressure-cuff", "scale", "glucometer", "pulse-oximeter", "thermometer");

    @Test
    void sameInputsGiveTheSameFleet() {
        Fleet a = Fleet.generate(DEMO, 200, 42);
        Fleet b = Fleet.generate(DEMO, 200, 42);
        assertEquals(a.patients(), b.patients());
        assertEquals(a.devices(), b.devices());
    }

    @Test
    void identityDoesNotDependOnSeedAndGrowingKeepsExistingPatients() {
        Fleet small = Fleet.generate(DEMO, 50, 1);
        Fleet large = Fleet.generate(DEMO, 500, 2);
        assertEquals(small.patients(), large.patients().subList(0, 50));
    }

    @Test
    void patientIdsFollowTheDocumentedNameBasedUuid() {
        Fleet fleet = Fleet.generate(DEMO, 3, 42);
        for (SimPatient p : fleet.patients()) {
            UUID expected = UUID.nameUUIDFromBytes(("vigil-sim:demo:patient:" + p.index()).getBytes(StandardCharsets.UTF_8));
            assertEquals(expected, p.patientId());
        }
        assertEquals(0, fleet.patients().get(0).index());
        assertEquals(fleet.patients().get(2).patientId(), Fleet.patientId(DEMO, 2));
    }

    @Test
    void identifiersAreUniqueValidAndComplete() {
        Fleet fleet = Fleet.generate(DEMO, 20_000, 42);
        Set<String> identifiers = new HashSet<>();
        Set<UUID> uuids = new HashSet<>();
        Set<String> mrns = new HashSet<>();
        for (SimPatient p : fleet.patients()) {
            assertTrue(uuids.add(p.patientId()));
            assertTrue(mrns.add(p.mrn().value()), p.mrn().value());
            assertTrue(p.mrn().value().matches("E[0-9]{7}"), p.mrn().value());
            assertEquals(Fleet.MRN_SYSTEM, p.mrn().system());
            assertNotNull(p.displayName());
            assertTrue(p.birthDate().getYear() >= 1933 && p.birthDate().getYear() <= 1986, p.birthDate().toString());
            assertEquals(5, p.devices().size());
            for (SimDevice d : p.devices()) {
                assertTrue(identifiers.add(d.identifier()), "duplicate " + d.identifier());
                assertTrue(uuids.add(d.deviceId()));
                assertTrue(uuids.add(d.assignmentId()));
                assertTrue(KINDS.contains(d.kind().code()));
                assertEquals(p.patientId(), d.patientId());
                assertTrue(!d.model().isBlank());
                int set = (d.serial() != null ? 1 : 0) + (d.imei() != null ? 1 : 0) + (d.mac() != null ? 1 : 0);
                assertEquals(1, set, "exactly one identifier: " + d);
                if (d.mac() != null) {
                    assertTrue(MAC.matcher(d.mac()).matches(), d.mac());
                    assertTrue(d.mac().startsWith("AA:BB:CC:"));
                }
                if (d.imei() != null) {
                    assertTrue(IMEI.matcher(d.imei()).matches(), d.imei());
                    assertTrue(DeviceIdentifiers.luhnValid(d.imei()), "Luhn " + d.imei());
                }
                assertEquals(d, fleet.device(d.identifier()).orElseThrow());
            }
        }
        assertEquals(DeviceKind.PULSE_OXIMETER, fleet.patients().get(0).device(DeviceKind.PULSE_OXIMETER).kind());
        assertEquals(fleet.patients().get(7), fleet.patientOfDevice(7 * 5 + 3));
    }

    @Test
    void luhnMatchesAKnownImei() {
        // a well-known valid example IMEI
        assertTrue(DeviceIdentifiers.luhnValid("490154203237518"));
        assertEquals(8, DeviceIdentifiers.luhnCheckDigit("49015420323751"));
    }

    @Test
    void tenantsGetDifferentIdentities() {
        SimPatient a = Fleet.generate(DEMO, 1, 42).patients().get(0);
        SimPatient b = Fleet.generate(new TenantId("acme"), 1, 42).patients().get(0);
        assertNotEquals(a.patientId(), b.patientId());
        assertNotEquals(a.device(DeviceKind.PULSE_OXIMETER).mac(), b.device(DeviceKind.PULSE_OXIMETER).mac());
        assertNotEquals(a.device(DeviceKind.SCALE).serial(), b.device(DeviceKind.SCALE).serial());
    }

    @Test
    void rejectsSillySizes() {
        assertThrows(IllegalArgumentException.class, () -> Fleet.generate(DEMO, 0, 1));
    }
}
