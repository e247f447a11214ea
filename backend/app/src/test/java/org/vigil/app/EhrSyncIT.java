package org.vigil.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.sandbox.EhrSandbox;
import org.vigil.sandbox.Mode;
import org.vigil.sandbox.SandboxOptions;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * EHR sync end to end on the real stack and a sandbox EHR that speaks the real protocols (HAPI FHIR server behind
 * SMART Backend Services, HAPI-parsed HL7 v2 over MLLP): every policy, both transports, consent, patient matching,
 * acknowledgement codes and a silent receiver.
 */
@MicronautTest
class EhrSyncIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";
    private static final Set<String> SCOPES = Set.of("system/Patient.read", "system/Observation.write", "system/Device.write",
            "system/DiagnosticReport.write");

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    EmbeddedServer server;

    private EhrSandbox ehr;
    private Registry registry;
    private Devices devices;

    @BeforeAll
    void setUp() throws Exception {
        ehr = EhrSandbox.start(SandboxOptions.defaults());
        registry = Registry.newTenant("ehr");
        devices = new Devices(registry.tenant());
        ehr.registerClient("vigil-" + registry.tenant(),
                URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/tenants/" + registry.tenant() + "/jwks.json"), SCOPES);
    }

    @AfterAll
    void tearDown() throws Exception {
        devices.close();
        registry.close();
        ehr.close();
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private String mrn(UUID patient) throws Exception {
        return (String) registry.rows("SELECT value FROM patient_identifiers WHERE patient_id = ?", patient).get(0).get(0);
    }

    /** A patient with a cuff, known to the sandbox EHR by MRN, with consent for {@code endpoint} unless told not to. */
    private UUID patient(String name, String serial, String endpoint, boolean consent, boolean knownToEhr) throws Exception {
        UUID p = registry.patient(name);
        UUID d = registry.device("blood-pressure-cuff", serial);
        registry.assign(d, p, Instant.now().minus(Duration.ofDays(30)), null);
        if (knownToEhr) {
            ehr.addPatient(MRN_SYSTEM, mrn(p), name.split(" ")[1], name.split(" ")[0]);
        }
        if (consent) {
            consent(p, endpoint, "active");
        }
        return p;
    }

    private void consent(UUID patient, String endpoint, String status) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/patients/" + patient + "/consents/" + endpoint,
                Map.of("status", status, "note", "signed form on file")).bearerAuth(token(registry.tenant())));
    }

    private void endpoint(String id, String document) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/ehr/endpoints/" + id, document)
                .contentType(MediaType.of("application/yaml")).bearerAuth(adminToken(registry.tenant())));
    }

    private String fhirEndpoint(String readings, int bundle) {
        return "kind: fhir\nsandbox: true\nfhir:\n  base-url: " + ehr.fhirBaseUrl() + "\n  token-url: " + ehr.tokenUrl()
                + "\n  client-id: vigil-" + registry.tenant() + "\n  algorithm: ES384\n  patient-identifier-system: " + MRN_SYSTEM
                + "\n  bundle-size: " + bundle + "\nsend:\n  readings: " + readings + "\n  summaries: daily\n  summary-as: report\n"
                + "delivery:\n  timeout: 3s\n  backoff-min: 1s\n  backoff-max: 2s\n  max-failures: 2\n  breaker-open: 1s\n";
    }

    private String mllpEndpoint(String readings, int window) {
        return "kind: mllp\nsandbox: true\nmllp:\n  host: 127.0.0.1\n  port: " + ehr.mllpPort() + "\n  receiving-application: EPIC\n"
                + "  receiving-facility: GENHOSP\n  version: \"2.5.1\"\n  window: " + window + "\n  patient-identifier-system: "
                + MRN_SYSTEM + "\n  assigning-authority: GENHOSP\nsend:\n  readings: " + readings + "\n"
                + "delivery:\n  timeout: 2s\n  backoff-min: 1s\n  backoff-max: 2s\n  max-failures: 2\n  breaker-failures: 3\n  breaker-open: 2s\n";
    }

    private List<List<Object>> items(UUID patient, String endpoint) throws Exception {
        return registry.rows("SELECT status, coalesce(reason, ''), kind, item_key, coalesce(remote_id, ''), coalesce(control_id, ''), "
                + "coalesce(ack_code, ''), attempts, failures FROM ehr_outbox WHERE tenant_id = ? AND patient_id = ? AND endpoint_id = ? "
                + "ORDER BY seq", registry.tenant(), patient, endpoint);
    }

    private List<List<Object>> awaitItems(UUID patient, String endpoint, int n, String status) {
        return Eventually.await(WAIT, () -> rows(patient, endpoint),
                rows -> rows.size() == n && rows.stream().allMatch(r -> status.equals(r.get(0))),
                n + " item(s) " + status + " for endpoint " + endpoint);
    }

    private List<List<Object>> rows(UUID patient, String endpoint) {
        try {
            return items(patient, endpoint);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------------------------------------- tests

    @Test
    void fhirEveryReadingArrivesOnceAsAProfiledObservationWithItsDevice() throws Exception {
        endpoint("chart", fhirEndpoint("all", 1));
        UUID p = patient("Frida Fhir", "CUFF-FHIR-1", "chart", true, true);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
        devices.bloodPressure("CUFF-FHIR-1", 128, 82, t);
        devices.bloodPressure("CUFF-FHIR-1", 131, 84, t.plusSeconds(60));
        devices.bloodPressure("CUFF-FHIR-1", 128, 82, t);  // the same reading again: one Observation
        List<List<Object>> rows = awaitItems(p, "chart", 2, "delivered");
        String hash = (String) rows.get(0).get(3);
        assertEquals(1, ehr.observationCreatesByIdentifier().get(hash));
        Observation o = ehr.observations().stream().filter(x -> x.getIdentifierFirstRep().getValue().equals(hash)).findFirst().orElseThrow();
        assertEquals("85354-9", o.getCode().getCodingFirstRep().getCode());
        assertTrue(o.getSubject().getReference().startsWith("Patient/"), o.getSubject().getReference());
        assertTrue(o.getDevice().getReference().startsWith("Device/"), "a Device reference: " + o.getDevice().getReference());
        assertTrue(ehr.deviceCount() >= 1);
        Eventually.await(WAIT, ehr::observationsValidated, n -> n >= 2, "the sandbox to validate both Observations");
        assertEquals(List.of(), ehr.validationErrors(), "every Observation valid against its specific vital-signs profile");
        assertTrue(ehr.assertionKids().size() >= 1, "tokens came from our ES384 client assertions");
    }

    @Test
    void mllpAlertingOnlySendsTheBreachingReadingFlaggedAndRecordsItsAck() throws Exception {
        endpoint("hl7-alerts", mllpEndpoint("alerting", 1));
        UUID p = patient("Hugo Hl7", "CUFF-HL7-1", "hl7-alerts", true, false);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
        devices.bloodPressure("CUFF-HL7-1", 124, 80, t);         // in range: not sent
        devices.bloodPressure("CUFF-HL7-1", 192, 118, t.plusSeconds(30));  // critical: an alert, so sent
        List<List<Object>> rows = awaitItems(p, "hl7-alerts", 1, "delivered");
        String control = (String) rows.get(0).get(5);
        assertEquals("AA", rows.get(0).get(6));
        assertEquals(1, ehr.messagesByControlId().get(control));
        String message = ehr.messages().stream().filter(m -> m.contains(control)).findFirst().orElseThrow();
        assertTrue(message.contains("|8480-6^"), message);
        assertTrue(message.matches("(?s).*OBX\\|[^\\r]*\\|HH\\|.*"), "the systolic is flagged critical high: " + message);
        assertTrue(message.contains(mrn(p) + "^^^GENHOSP"), message);
    }

    @Test
    void withoutConsentNothingLeavesAndARevocationStopsWhatIsWaiting() throws Exception {
        endpoint("consent", mllpEndpoint("all", 1));
        UUID none = patient("Nina Noconsent", "CUFF-NC-1", "consent", false, false);
        devices.bloodPressure("CUFF-NC-1", 120, 80, Instant.now().minusSeconds(60));
        List<List<Object>> held = awaitItems(none, "consent", 1, "held");
        assertEquals("consent-missing", held.get(0).get(1));

        UUID revoking = patient("Rene Revoked", "CUFF-RV-1", "consent", true, false);
        ehr.mllpSilent(true);  // nothing is acknowledged: items wait
        try {
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300);
            for (int i = 0; i < 5; i++) {
                devices.bloodPressure("CUFF-RV-1", 120 + i, 80, t.plusSeconds(i));
            }
            Eventually.await(WAIT, () -> rows(revoking, "consent"), rows -> rows.size() == 5, "five items");
            consent(revoking, "consent", "revoked");
            List<List<Object>> after = items(revoking, "consent");
            assertTrue(after.stream().allMatch(r -> !"pending".equals(r.get(0))), "nothing left to send: " + after);
        } finally {
            ehr.mllpSilent(false);
        }
        Thread.sleep(3_000);
        Set<String> sentForNone = Set.copyOf(ehr.patientsByControlId().values());
        assertTrue(!sentForNone.contains(mrn(none)), "nothing was ever sent for the patient without consent");
        assertTrue(items(revoking, "consent").stream().noneMatch(r -> "delivered".equals(r.get(0)) && r.get(7).equals(0)));
    }

    @Test
    void anAmbiguousOrUnknownPatientIsHeldNotGuessed() throws Exception {
        endpoint("match", fhirEndpoint("all", 1));
        UUID twice = patient("Anna Ambiguous", "CUFF-AMB-1", "match", true, true);
        ehr.addPatient(MRN_SYSTEM, mrn(twice), "Ambiguous", "Other");  // a second chart with the same MRN
        UUID unknown = patient("Uma Unknown", "CUFF-UNK-1", "match", true, false);
        devices.bloodPressure("CUFF-AMB-1", 120, 80, Instant.now().minusSeconds(30));
        devices.bloodPressure("CUFF-UNK-1", 120, 80, Instant.now().minusSeconds(30));
        assertEquals("patient-ambiguous", awaitItems(twice, "match", 1, "held").get(0).get(1));
        assertEquals("patient-not-found", awaitItems(unknown, "match", 1, "held").get(0).get(1));
    }

    @Test
    void anApplicationErrorIsRetriedThenDeadLetteredARejectIsDeadAtOnceAndBothCanBeResent() throws Exception {
        endpoint("acks", mllpEndpoint("all", 1));
        UUID p = patient("Ada Ack", "CUFF-ACK-1", "acks", true, false);
        ehr.mllpMode(Mode.AE);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(300);
        devices.bloodPressure("CUFF-ACK-1", 121, 80, t);
        List<List<Object>> dead = awaitItems(p, "acks", 1, "dead");
        assertEquals(2, ((Number) dead.get(0).get(8)).intValue(), "dead after max-failures (2) application errors");
        ehr.mllpMode(Mode.AR);
        devices.bloodPressure("CUFF-ACK-1", 122, 80, t.plusSeconds(60));
        List<List<Object>> both = awaitItems(p, "acks", 2, "dead");
        assertEquals(1, ((Number) both.get(1).get(7)).intValue(), "a reject is not tried twice");
        ehr.mllpMode(Mode.AA);
        HttpResponse<Map> r = http.toBlocking().exchange(HttpRequest.POST("/api/v1/ehr/endpoints/acks/resend", "")
                .bearerAuth(adminToken(registry.tenant())), Map.class);
        assertEquals(2, ((Number) r.body().get("items")).intValue());
        awaitItems(p, "acks", 2, "delivered");
        try {
            http.toBlocking().exchange(HttpRequest.POST("/api/v1/ehr/endpoints/acks/resend", "").bearerAuth(token(registry.tenant())));
            throw new AssertionError("a care manager may not re-send");
        } catch (HttpClientResponseException e) {
            assertEquals(403, e.getStatus().getCode());
        }
    }

    @Test
    void aSilentReceiverIsProbedNotFlooded() throws Exception {
        endpoint("silent", mllpEndpoint("all", 1));
        UUID p = patient("Sam Silent", "CUFF-SIL-1", "silent", true, false);
        ehr.mllpSilent(true);
        try {
            int before = ehr.messages().size();
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
            for (int i = 0; i < 20; i++) {
                devices.bloodPressure("CUFF-SIL-1", 110 + i, 70, t.plusSeconds(i));
            }
            Thread.sleep(15_000);
            int sent = ehr.messages().size() - before;
            // 2 s ACK timeout, 3 failures open the breaker for 2 s, then 4 s, 8 s: a handful of probes in 15 s.
            assertTrue(sent <= 8, "a silent receiver got " + sent + " messages in 15 s");
            assertTrue(items(p, "silent").stream().allMatch(r -> "pending".equals(r.get(0))));
        } finally {
            ehr.mllpSilent(false);
        }
        awaitItems(p, "silent", 20, "delivered");
        Map<String, Integer> byId = ehr.messagesByControlId();
        for (List<Object> r : items(p, "silent")) {
            assertTrue(byId.containsKey((String) r.get(5)), "every item arrived under its own control id");
        }
    }

    @Test
    void anotherTenantSeesNoneOfThis() {
        try (Registry other = Registry.newTenant("ehr-other")) {
            String endpoints = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/ehr/endpoints").bearerAuth(token(other.tenant())));
            assertEquals("[]", endpoints);
            String items = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/ehr/items").bearerAuth(token(other.tenant())));
            assertEquals("[]", items);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
