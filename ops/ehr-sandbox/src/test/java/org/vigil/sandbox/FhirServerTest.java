package org.vigil.sandbox;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The FHIR R4 API as an RPM connector uses it: conditional creates, conditional updates, transactions, faults. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class FhirServerTest {

    private static final String READING = "urn:vigil:reading";
    private static final String MRN = "urn:oid:2.16.840.1.113883.3.9999.1";

    private EhrSandbox sandbox;
    private FhirHttp fhir;
    private String token;
    private String patientId;

    @BeforeAll
    void start() {
        // no validation here: ObservationValidationTest covers it, and this class runs faster without it
        sandbox = EhrSandbox.start(SandboxOptions.defaults().withValidate(false));
        fhir = new FhirHttp(FhirContext.forR4Cached(), sandbox.fhirBaseUrl());
        token = sandbox.issueToken(Set.of("system/Observation.crs", "system/DiagnosticReport.crs", "system/Device.cru",
                "system/Device.s", "system/Patient.rs"));
        patientId = sandbox.addPatient(MRN, "MRN-1", "Doe", "Jane");
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    private Observation heartRate(String hash, int bpm) {
        Observation observation = new Observation();
        observation.addIdentifier().setSystem(READING).setValue(hash);
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("vital-signs");
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4").setDisplay("Heart rate");
        observation.setSubject(new Reference("Patient/" + patientId));
        observation.getEffectiveDateTimeType().setValueAsString("2026-11-21T10:00:00Z");
        observation.setValue(new Quantity().setValue(bpm).setUnit("beats/minute").setSystem("http://unitsofmeasure.org").setCode("/min"));
        return observation;
    }

    private HttpResponse<String> createOnce(Observation observation, String hash) throws Exception {
        return fhir.post("/Observation", token, observation, Map.of("If-None-Exist", "identifier=" + READING + "|" + hash));
    }

    @Test
    void aConditionalCreateMakesOneObservationAndAnswersTheSecondWith200() throws Exception {
        HttpResponse<String> first = createOnce(heartRate("h-once", 71), "h-once");
        assertEquals(201, first.statusCode(), first.body());
        String location = first.headers().firstValue("Location").orElseThrow();
        assertTrue(location.matches(".*/fhir/Observation/\\d+/_history/1"), location);
        Observation created = fhir.parse(Observation.class, first);
        assertEquals("1", created.getMeta().getVersionId());

        HttpResponse<String> second = createOnce(heartRate("h-once", 71), "h-once");
        assertEquals(200, second.statusCode());
        assertEquals(created.getIdElement().getIdPart(), fhir.parse(Observation.class, second).getIdElement().getIdPart());
        assertEquals(1, sandbox.observationCreatesByIdentifier().get("h-once"));
        assertTrue(sandbox.conditionalCreateHits() >= 1);

        Bundle found = fhir.parse(Bundle.class, fhir.get("/Observation?identifier=" + READING + "|h-once", token));
        assertEquals(1, found.getTotal());
        Bundle bySubject = fhir.parse(Bundle.class, fhir.get("/Observation?subject=Patient/" + patientId, token));
        assertTrue(bySubject.getTotal() >= 1);
    }

    @Test
    void concurrentConditionalCreatesOfOneReadingMakeOneObservation() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> sends = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                sends.add(() -> createOnce(heartRate("h-race", 80), "h-race").statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> status : pool.invokeAll(sends)) {
                statuses.add(status.get());
            }
            assertEquals(1, statuses.stream().filter(s -> s == 201).count(), statuses.toString());
            assertEquals(15, statuses.stream().filter(s -> s == 200).count(), statuses.toString());
            assertEquals(1, sandbox.observationCreatesByIdentifier().get("h-race"));
        } finally {
            pool.shutdownNow();
        }
    }

    private Bundle readingsBundle(String suffix) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        Device device = new Device();
        device.addIdentifier().setSystem("urn:vigil:device").setValue("dev-" + suffix);
        device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        bundle.addEntry().setFullUrl("urn:uuid:device-" + suffix).setResource(device).getRequest()
                .setMethod(Bundle.HTTPVerb.PUT).setUrl("Device?identifier=urn:vigil:device|dev-" + suffix);
        DiagnosticReport report = new DiagnosticReport();
        report.addIdentifier().setSystem("urn:vigil:summary").setValue("sum-" + suffix);
        report.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL).getCode().setText("RPM summary");
        report.setSubject(new Reference("Patient/" + patientId));
        for (int i = 0; i < 2; i++) {
            String hash = "tx-" + suffix + "-" + i;
            Observation observation = heartRate(hash, 60 + i);
            observation.setDevice(new Reference("urn:uuid:device-" + suffix));
            bundle.addEntry().setFullUrl("urn:uuid:obs-" + suffix + "-" + i).setResource(observation).getRequest()
                    .setMethod(Bundle.HTTPVerb.POST).setUrl("Observation").setIfNoneExist("identifier=" + READING + "|" + hash);
            report.addResult(new Reference("urn:uuid:obs-" + suffix + "-" + i));
        }
        bundle.addEntry().setFullUrl("urn:uuid:report-" + suffix).setResource(report).getRequest()
                .setMethod(Bundle.HTTPVerb.POST).setUrl("DiagnosticReport").setIfNoneExist("identifier=urn:vigil:summary|sum-" + suffix);
        return bundle;
    }

    @Test
    void aTransactionResolvesUrnUuidReferencesAndIsIdempotentWithIfNoneExist() throws Exception {
        int transactions = sandbox.transactionCount();
        HttpResponse<String> first = fhir.post("", token, readingsBundle("a"), Map.of());
        assertEquals(200, first.statusCode(), first.body());
        Bundle response = fhir.parse(Bundle.class, first);
        assertEquals(Bundle.BundleType.TRANSACTIONRESPONSE, response.getType());
        assertEquals(4, response.getEntry().size());
        for (Bundle.BundleEntryComponent entry : response.getEntry()) {
            assertEquals("201 Created", entry.getResponse().getStatus());
        }
        String obs0 = response.getEntry().get(1).getResponse().getLocation();
        String obs1 = response.getEntry().get(2).getResponse().getLocation();
        assertTrue(obs0.matches("Observation/\\d+/_history/1"), obs0);

        DiagnosticReport report = sandbox.diagnosticReports().stream()
                .filter(r -> r.getIdentifierFirstRep().getValue().equals("sum-a")).findFirst().orElseThrow();
        assertEquals(List.of(obs0.replaceAll("/_history/.*", ""), obs1.replaceAll("/_history/.*", "")),
                report.getResult().stream().map(Reference::getReference).toList());
        Observation stored = sandbox.observations().stream()
                .filter(o -> o.getIdentifierFirstRep().getValue().equals("tx-a-0")).findFirst().orElseThrow();
        assertTrue(stored.getDevice().getReference().matches("Device/\\d+"), stored.getDevice().getReference());

        // the connector resends after a lost response: nothing new is created, the Device is updated in place
        Bundle again = fhir.parse(Bundle.class, fhir.post("", token, readingsBundle("a"), Map.of()));
        for (Bundle.BundleEntryComponent entry : again.getEntry()) {
            assertEquals("200 OK", entry.getResponse().getStatus());
        }
        assertEquals(obs0, again.getEntry().get(1).getResponse().getLocation());
        assertTrue(again.getEntry().get(0).getResponse().getLocation().endsWith("/_history/2"));
        assertEquals(1, sandbox.observationCreatesByIdentifier().get("tx-a-0"));
        assertEquals(1, sandbox.diagnosticReportCreatesByIdentifier().get("sum-a"));
        assertEquals(1, sandbox.deviceCreatesByIdentifier().get("dev-a"));
        assertEquals(transactions + 2, sandbox.transactionCount());
    }

    @Test
    void aTransactionWithOneBadEntryStoresNothing() throws Exception {
        Bundle bundle = readingsBundle("b");
        ((DiagnosticReport) bundle.getEntry().get(3).getResource()).addResult(new Reference("urn:uuid:nowhere"));
        int before = sandbox.observationCount();
        HttpResponse<String> response = fhir.post("", token, bundle, Map.of());
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("urn:uuid:nowhere"), response.body());
        assertEquals(before, sandbox.observationCount());
        assertTrue(sandbox.deviceCreatesByIdentifier().get("dev-b") == null);
    }

    @Test
    void devicesAreUpsertedByIdentifierAndAmbiguousMatchesAre412() throws Exception {
        Device device = new Device();
        device.addIdentifier().setSystem("urn:vigil:device").setValue("upsert-1");
        assertEquals(201, fhir.put("/Device?identifier=urn:vigil:device|upsert-1", token, device).statusCode());
        device.setStatus(Device.FHIRDeviceStatus.INACTIVE);
        HttpResponse<String> update = fhir.put("/Device?identifier=urn:vigil:device|upsert-1", token, device);
        assertEquals(200, update.statusCode());
        assertEquals("2", fhir.parse(Device.class, update).getMeta().getVersionId());

        Device twin = new Device();
        twin.addIdentifier().setSystem("urn:vigil:device").setValue("twin");
        assertEquals(201, fhir.post("/Device", token, twin, Map.of()).statusCode());
        assertEquals(201, fhir.post("/Device", token, twin, Map.of()).statusCode());
        assertEquals(412, fhir.put("/Device?identifier=urn:vigil:device|twin", token, twin).statusCode());
        assertEquals(2, sandbox.deviceCreatesByIdentifier().get("twin"));

        Device named = new Device();
        named.setId("gateway-7");
        assertEquals(201, fhir.put("/Device/gateway-7", token, named).statusCode());
        assertEquals(200, fhir.put("/Device/gateway-7", token, named).statusCode());
        named.setId("777777");
        assertEquals(400, fhir.put("/Device/777777", token, named).statusCode(), "numeric ids are the server's");
    }

    @Test
    void patientsAreFoundByIdentifierWithNoneOneOrSeveralMatches() throws Exception {
        sandbox.addPatient(MRN, "TWIN", "Roe", "Ann");
        sandbox.addPatient(MRN, "TWIN", "Roe", "Anna");
        assertEquals(0, fhir.parse(Bundle.class, fhir.get("/Patient?identifier=" + MRN + "|NOBODY", token)).getTotal());
        Bundle one = fhir.parse(Bundle.class, fhir.get("/Patient?identifier=" + MRN + "|MRN-1", token));
        assertEquals(1, one.getTotal());
        assertEquals(patientId, one.getEntryFirstRep().getResource().getIdElement().getIdPart());
        assertEquals(2, fhir.parse(Bundle.class, fhir.get("/Patient?identifier=" + MRN + "|TWIN", token)).getTotal());
        assertEquals("Doe", fhir.parse(Patient.class, fhir.get("/Patient/" + patientId, token)).getNameFirstRep().getFamily());
        assertEquals(404, fhir.get("/Patient/999999", token).statusCode());
    }

    @Test
    void aReferenceToAnUnknownPatientIsRefused() throws Exception {
        Observation observation = heartRate("h-orphan", 70);
        observation.setSubject(new Reference("Patient/424242"));
        HttpResponse<String> response = fhir.post("/Observation", token, observation, Map.of());
        assertEquals(400, response.statusCode());
        assertTrue(response.body().contains("Patient/424242"), response.body());
    }

    @Test
    void anInjectedStatusAnswersEveryRequestUntilReset() throws Exception {
        sandbox.fhirStatus(503);
        try {
            assertEquals(503, createOnce(heartRate("h-503", 70), "h-503").statusCode());
            assertEquals(503, fhir.get("/Patient?identifier=" + MRN + "|MRN-1", token).statusCode());
        } finally {
            sandbox.fhirStatus(0);
        }
        assertEquals(201, createOnce(heartRate("h-503", 70), "h-503").statusCode());
    }

    @Test
    void anInjectedDelaySlowsEveryAnswer() throws Exception {
        sandbox.fhirDelay(Duration.ofMillis(300));
        try {
            long start = System.nanoTime();
            assertEquals(200, fhir.get("/Patient/" + patientId, token).statusCode());
            assertTrue(System.nanoTime() - start >= Duration.ofMillis(300).toNanos());
        } finally {
            sandbox.fhirDelay(Duration.ZERO);
        }
    }

    @Test
    void downRefusesConnectionsAndUpComesBackOnTheSamePort() throws Exception {
        int port = sandbox.fhirPort();
        sandbox.fhirDown(true);
        try {
            Exception refused = assertThrows(Exception.class, () -> fhir.get("/Patient/" + patientId, token));
            assertTrue(refused instanceof ConnectException || refused.getCause() instanceof ConnectException
                    || refused instanceof java.io.IOException, refused.toString());
        } finally {
            sandbox.fhirDown(false);
        }
        assertEquals(port, sandbox.fhirPort());
        assertEquals(200, fhir.get("/Patient/" + patientId, token).statusCode());
    }
}
