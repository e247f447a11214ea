package org.vigil.app;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;
import org.vigil.registry.DeadLetters;
import org.vigil.registry.DeviceFleet;
import org.vigil.registry.DeviceView;
import org.vigil.registry.PatientSummary;
import org.vigil.registry.Patients;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The roster the dashboard pages through: patients found by name or MRN, their devices, and the dead-letter count. */
@MicronautTest
class RosterIT extends BackendTestSupport {
    @Inject
    Patients patients;
    @Inject
    DeviceFleet fleet;
    @Inject
    DeadLetters deadLetters;

    private Registry a;
    private Registry b;
    private TenantId tenantA;
    private TenantId tenantB;
    private final List<String> names = List.of("anna Berg", "Anne Bonny", "Bob 100% Jones", "bo_b Smith", "Carl Ångström",
            "Dora Diaz", "Eve Eriksen", "frank Fox", "Gus Grant", "Hal Hart", "Ida Ito", "Jon Jansen");
    private final List<UUID> ids = new ArrayList<>();
    private UUID synthetic;
    private UUID cuffOfAnna;
    private UUID scaleOfAnna;
    private UUID ofB;

    @BeforeAll
    void roster() throws Exception {
        a = Registry.newTenant("roster-a");
        b = Registry.newTenant("roster-b");
        tenantA = new TenantId(a.tenant());
        tenantB = new TenantId(b.tenant());
        for (String n : names) {
            ids.add(a.patient(n));
        }
        a.exec("UPDATE patients SET birth_date = DATE '1950-02-03' WHERE patient_id = ?", ids.get(0));
        a.exec("INSERT INTO patient_identifiers (tenant_id, patient_id, system, value) VALUES (?, ?, 'urn:other-ehr', 'X-77')",
                a.tenant(), ids.get(0));
        synthetic = a.patient("Anna Canary");
        a.exec("UPDATE patients SET synthetic = true WHERE patient_id = ?", synthetic);
        ofB = b.patient("Anna of B");

        Instant now = Instant.now();
        cuffOfAnna = a.device("blood-pressure-cuff", "ROSTER-CUFF");
        scaleOfAnna = a.device("scale", "ROSTER-SCALE");
        UUID oldScale = a.device("scale", "ROSTER-OLD");
        UUID futureCuff = a.device("blood-pressure-cuff", "ROSTER-NEXT");
        a.assign(cuffOfAnna, ids.get(0), now.minus(Duration.ofDays(3)), null);
        a.assign(scaleOfAnna, ids.get(0), null, null);
        a.assign(oldScale, ids.get(0), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(3)));
        a.assign(oldScale, ids.get(1), now.minus(Duration.ofDays(3)), null);
        a.assign(futureCuff, ids.get(2), now.plus(Duration.ofDays(1)), null);
        a.exec("UPDATE devices SET last_seen = ?, battery_percent = 55 WHERE device_id = ?",
                java.sql.Timestamp.from(now.minus(Duration.ofHours(2))), cuffOfAnna);
        UUID cuffOfB = b.device("blood-pressure-cuff", "ROSTER-CUFF");
        b.assign(cuffOfB, ofB, null, null);

        Instant old = now.minus(Duration.ofDays(2));
        deadLetter(a, old);
        deadLetter(a, now.minus(Duration.ofMinutes(5)));
        deadLetter(a, now.minus(Duration.ofMinutes(1)));
        deadLetter(b, now.minus(Duration.ofMinutes(1)));
    }

    private static void deadLetter(Registry r, Instant at) throws Exception {
        r.exec("INSERT INTO dead_letters (tenant_id, dead_letter_id, received_at, subject, error_code, reason, payload) "
                        + "VALUES (?, ?, ?, ?, 'MALFORMED_JSON', 'not JSON', ?)", r.tenant(), UUID.randomUUID(),
                java.sql.Timestamp.from(at), "vigil." + r.tenant() + ".ingest.canonical.X", new byte[]{1});
    }

    @AfterAll
    void close() throws Exception {
        a.close();
        b.close();
    }

    private List<String> namesOf(List<PatientSummary> page) {
        return page.stream().map(PatientSummary::displayName).toList();
    }

    @Test
    void theRosterIsOrderedByNameWhateverTheCaseAndPagesCoverIt() {
        List<String> want = names.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList();
        List<String> got = new ArrayList<>();
        for (int offset = 0; offset < 20; offset += 5) {
            got.addAll(namesOf(patients.search(tenantA, null, offset, 5)));
        }
        assertEquals(want, got);
        assertEquals(names.size(), patients.count(tenantA, null));
        assertEquals(names.size(), patients.count(tenantA, "  "), "blank text is no filter");
    }

    @Test
    void textMatchesPartOfTheNameInAnyCaseOrAWholeIdentifier() {
        assertEquals(List.of("anna Berg", "Anne Bonny"), namesOf(patients.search(tenantA, "ANN", 0, 50)));
        assertEquals(2, patients.count(tenantA, "ann"));
        assertEquals(List.of("Carl Ångström"), namesOf(patients.search(tenantA, "ångström", 0, 50)));
        String mrn = "MRN-" + ids.get(5).toString().substring(0, 8);
        assertEquals(List.of("Dora Diaz"), namesOf(patients.search(tenantA, mrn, 0, 50)));
        assertEquals(List.of(), namesOf(patients.search(tenantA, mrn.substring(0, 7), 0, 50)), "identifiers match whole");
        assertEquals(List.of("anna Berg"), namesOf(patients.search(tenantA, "X-77", 0, 50)), "any system's identifier");
        // LIKE's wildcards in the text mean themselves
        assertEquals(List.of("Bob 100% Jones"), namesOf(patients.search(tenantA, "0%", 0, 50)));
        assertEquals(List.of("bo_b Smith"), namesOf(patients.search(tenantA, "o_b", 0, 50)));
    }

    @Test
    void aSummaryCarriesBirthDateIdentifiersAndEnrolment() {
        PatientSummary anna = patients.find(tenantA, ids.get(0)).orElseThrow();
        assertEquals("anna Berg", anna.displayName());
        assertEquals(LocalDate.of(1950, 2, 3), anna.birthDate());
        assertEquals(List.of("MRN-" + ids.get(0).toString().substring(0, 8), "X-77"), anna.identifiers());
        assertTrue(anna.enrolledAt().isAfter(Instant.now().minus(Duration.ofHours(1))), anna.toString());
        assertEquals(null, patients.find(tenantA, ids.get(1)).orElseThrow().birthDate());
    }

    @Test
    void syntheticPatientsAreNeverListedNorFound() {
        assertTrue(patients.find(tenantA, synthetic).isEmpty());
        assertTrue(namesOf(patients.search(tenantA, "Canary", 0, 50)).isEmpty());
    }

    @Test
    void devicesAssignedNowToAPageOfPatientsInOneCall() {
        UUID nobody = UUID.randomUUID();
        Map<UUID, List<DeviceView>> devices = fleet.forPatients(tenantA, List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(3), nobody));
        assertEquals(List.of(ids.get(0), ids.get(1), ids.get(2), ids.get(3), nobody), List.copyOf(devices.keySet()));
        List<DeviceView> anna = devices.get(ids.get(0));
        assertEquals(List.of("blood-pressure-cuff", "scale"), anna.stream().map(DeviceView::kind).toList(),
                "the old scale went to Anne three days ago");
        DeviceView cuff = anna.get(0);
        assertEquals(cuffOfAnna, cuff.deviceId());
        assertEquals(55.0, cuff.batteryPercent());
        assertNotNull(cuff.lastSeen());
        assertTrue(Duration.between(cuff.assignedSince(), Instant.now().minus(Duration.ofDays(3))).abs().getSeconds() < 5);
        assertNotNull(anna.get(1).assignedSince(), "an open-ended assignment counts from the device's registration");
        assertEquals(List.of("ROSTER-OLD"), devices.get(ids.get(1)).stream().map(DeviceView::serial).toList());
        assertEquals(List.of(), devices.get(ids.get(2)), "an assignment that has not begun");
        assertEquals(List.of(), devices.get(ids.get(3)));
        assertEquals(List.of(), devices.get(nobody));
        assertEquals(Map.of(), fleet.forPatients(tenantA, List.of()));
    }

    @Test
    void deadLettersAreCountedSinceATime() {
        assertEquals(2, deadLetters.countSince(tenantA, Instant.now().minus(Duration.ofHours(1))));
        assertEquals(3, deadLetters.countSince(tenantA, Instant.now().minus(Duration.ofDays(7))));
        assertEquals(0, deadLetters.countSince(tenantA, Instant.now().plus(1, ChronoUnit.MINUTES)));
    }

    @Test
    void anotherTenantsPatientsDevicesAndDeadLettersNeverAppear() {
        assertEquals(List.of("Anna of B"), namesOf(patients.search(tenantB, "anna", 0, 50)));
        assertEquals(1, patients.count(tenantB, null));
        assertTrue(patients.find(tenantB, ids.get(0)).isEmpty());
        String mrnOfA = "MRN-" + ids.get(0).toString().substring(0, 8);
        assertEquals(0, patients.count(tenantB, mrnOfA));
        assertEquals(List.of(), fleet.forPatients(tenantB, List.of(ids.get(0))).get(ids.get(0)));
        assertEquals(List.of("ROSTER-CUFF"), fleet.forPatients(tenantB, List.of(ofB)).get(ofB).stream().map(DeviceView::serial).toList());
        assertEquals(List.of(), fleet.forPatients(tenantA, List.of(ofB)).get(ofB));
        assertEquals(1, deadLetters.countSince(tenantB, Instant.now().minus(Duration.ofDays(7))));
    }
}
