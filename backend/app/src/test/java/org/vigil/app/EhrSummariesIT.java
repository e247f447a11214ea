package org.vigil.app;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v251.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v251.message.ORU_R01;
import ca.uhn.hl7v2.model.v251.segment.OBX;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;
import org.vigil.sandbox.EhrSandbox;
import org.vigil.sandbox.SandboxOptions;
import org.vigil.telemetry.ReadingHistory;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Daily summaries end to end: readings of a closed UTC day reach ClickHouse, an administrator produces the day on
 * demand, and the sandbox EHR receives per patient the statistics as FHIR (a DiagnosticReport grouping one
 * Observation per vital, or the Observations alone) and as HL7 (an ORU^R01 with four OBX per measured code), once.
 */
@MicronautTest
class EhrSummariesIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";
    private static final String SUMMARY_SYSTEM = "urn:vigil:summary";
    private static final String LOINC = "http://loinc.org";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    EmbeddedServer server;

    @Inject
    ReadingHistory history;

    private EhrSandbox ehr;
    private Registry registry;
    private Devices devices;
    /** Yesterday, UTC: a closed day. */
    private Instant dayStart;
    private final List<UUID> patients = new ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        // The scheduler would produce yesterday on its own a minute after start, possibly before the readings reach
        // ClickHouse (and a produced day is never produced again): here only the tests produce it.
        p.put("vigil.ehr.summary-check", "1h");
        return p;
    }

    /**
     * Two patients, each with three blood pressures and two weights yesterday; consent for the three endpoints
     * (report, observations, HL7), all three of which send summaries only.
     */
    @BeforeAll
    void setUp() throws Exception {
        ehr = EhrSandbox.start(SandboxOptions.defaults());
        registry = Registry.newTenant("ehr-sum");
        devices = new Devices(registry.tenant());
        ehr.registerClient("vigil-" + registry.tenant(),
                URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/tenants/" + registry.tenant() + "/jwks.json"),
                Set.of("system/Patient.read", "system/Observation.write", "system/Device.write", "system/DiagnosticReport.write"));
        endpoint("sum-report", fhirEndpoint("report"));
        endpoint("sum-obs", fhirEndpoint("observations"));
        endpoint("sum-hl7", "kind: mllp\nsandbox: true\nmllp:\n  host: 127.0.0.1\n  port: " + ehr.mllpPort()
                + "\n  receiving-application: EPIC\n  receiving-facility: GENHOSP\n  version: \"2.5.1\"\n"
                + "  patient-identifier-system: " + MRN_SYSTEM + "\n  assigning-authority: GENHOSP\n"
                + "send:\n  readings: none\n  summaries: daily\ndelivery:\n  timeout: 3s\n  backoff-min: 1s\n  backoff-max: 2s\n");

        dayStart = Instant.now().truncatedTo(ChronoUnit.DAYS).minus(Duration.ofDays(1));
        for (int n = 0; n < 2; n++) {
            String name = (n == 0 ? "Sonja" : "Samir") + " Summary";
            UUID p = registry.patient(name);
            String cuff = "CUFF-SUM-" + n;
            String scale = "SCALE-SUM-" + n;
            registry.assign(registry.device("blood-pressure-cuff", cuff), p, dayStart.minus(Duration.ofDays(30)), null);
            registry.assign(registry.device("scale", scale), p, dayStart.minus(Duration.ofDays(30)), null);
            ehr.addPatient(MRN_SYSTEM, mrn(p), "Summary", name.split(" ")[0]);
            for (String endpoint : List.of("sum-report", "sum-obs", "sum-hl7")) {
                http.toBlocking().exchange(HttpRequest.PUT("/api/v1/patients/" + p + "/consents/" + endpoint,
                        Map.of("status", "active")).bearerAuth(token(registry.tenant())));
            }
            // Patient n: systolic 120/130/140 (+n), diastolic 80/85/90 (+n), weights 70 and 72 (+n) kg.
            for (int k = 0; k < 3; k++) {
                devices.bloodPressure(cuff, 120 + 10 * k + n, 80 + 5 * k + n, dayStart.plus(Duration.ofHours(8 + 4 * k)));
            }
            devices.weight(scale, 70.0 + n, dayStart.plus(Duration.ofHours(7)));
            devices.weight(scale, 72.0 + n, dayStart.plus(Duration.ofHours(19)));
            // One reading of today, which yesterday's summary must leave out.
            devices.weight(scale, 99.0, dayStart.plus(Duration.ofDays(1)).plusSeconds(1));
            patients.add(p);
        }
        // Produced from ClickHouse: wait until every reading of the day is there, or the day would be summarised short.
        Eventually.await(WAIT, () -> history.statistics(new TenantId(registry.tenant()), dayStart, dayStart.plus(Duration.ofDays(1))),
                stats -> stats.size() == 6 && stats.stream().allMatch(s -> s.count() == (s.code().equals("29463-7") ? 2 : 3)),
                "yesterday's 10 readings in the telemetry store");
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

    private void endpoint(String id, String document) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/ehr/endpoints/" + id, document)
                .contentType(MediaType.of("application/yaml")).bearerAuth(adminToken(registry.tenant())));
    }

    private String fhirEndpoint(String summaryAs) {
        return "kind: fhir\nsandbox: true\nfhir:\n  base-url: " + ehr.fhirBaseUrl() + "\n  token-url: " + ehr.tokenUrl()
                + "\n  client-id: vigil-" + registry.tenant() + "\n  algorithm: ES384\n  patient-identifier-system: " + MRN_SYSTEM
                + "\nsend:\n  readings: none\n  summaries: daily\n  summary-as: " + summaryAs + "\n"
                + "delivery:\n  timeout: 5s\n  backoff-min: 1s\n  backoff-max: 2s\n";
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> produce(String endpoint) {
        return http.toBlocking().retrieve(HttpRequest.POST("/api/v1/ehr/endpoints/" + endpoint + "/summaries?start=" + dayStart, "")
                .bearerAuth(adminToken(registry.tenant())), Map.class);
    }

    /** status, item_key, remote_id, control_id, ack_code of the endpoint's items. */
    private List<List<Object>> items(String endpoint) {
        try {
            return registry.rows("SELECT status, item_key, coalesce(remote_id, ''), coalesce(control_id, ''), coalesce(ack_code, ''), kind "
                    + "FROM ehr_outbox WHERE tenant_id = ? AND endpoint_id = ? ORDER BY seq", registry.tenant(), endpoint);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private List<List<Object>> awaitDelivered(String endpoint, int n) {
        return Eventually.await(WAIT, () -> items(endpoint),
                rows -> rows.size() == n && rows.stream().allMatch(r -> "delivered".equals(r.get(0))),
                n + " summary item(s) delivered to " + endpoint);
    }

    private String key(UUID patient) {
        return patient + ":daily:" + dayStart;
    }

    private static boolean identifiedBy(Observation o, String value) {
        return o.getIdentifier().stream().anyMatch(i -> SUMMARY_SYSTEM.equals(i.getSystem()) && value.equals(i.getValue()));
    }

    private static String code(Observation o) {
        return o.getCode().getCoding().stream().filter(c -> LOINC.equals(c.getSystem())).reduce((a, b) -> b).orElseThrow().getCode();
    }

    private static String plain(BigDecimal d) {
        return d.stripTrailingZeros().toPlainString();
    }

    /** The Observations of one patient's summary by LOINC code, checked for what every summary Observation has. */
    private Map<String, Observation> summaryObservations(UUID patient, List<Observation> all) {
        Map<String, Observation> byCode = new HashMap<>();
        for (String code : List.of("85354-9", "29463-7")) {
            List<Observation> found = all.stream().filter(o -> identifiedBy(o, key(patient) + ":" + code)).toList();
            assertEquals(1, found.size(), "one " + code + " summary Observation of " + patient);
            Observation o = found.get(0);
            assertEquals(code, code(o));
            assertTrue(o.getSubject().getReference().startsWith("Patient/"), o.getSubject().getReference());
            Period period = o.getEffectivePeriod();
            assertEquals(dayStart, period.getStart().toInstant());
            assertEquals(dayStart.plus(Duration.ofDays(1)), period.getEnd().toInstant());
            assertEquals("average", o.getMethod().getCodingFirstRep().getCode());
            byCode.put(code, o);
        }
        return byCode;
    }

    /** Mean as the value, count and range in the note, per component of the blood-pressure panel. */
    private void assertStatistics(int n, Map<String, Observation> byCode) {
        Observation bp = byCode.get("85354-9");
        Map<String, String> components = bp.getComponent().stream().collect(Collectors.toMap(
                c -> c.getCode().getCodingFirstRep().getCode(), c -> plain(c.getValueQuantity().getValue())));
        assertEquals(Map.of("8480-6", String.valueOf(130 + n), "8462-4", String.valueOf(85 + n)), components);
        String note = bp.getNoteFirstRep().getText();
        assertTrue(note.contains("mean of 3 readings, range " + (120 + n) + " to " + (140 + n) + " mm[Hg]"), note);
        assertTrue(note.contains("mean of 3 readings, range " + (80 + n) + " to " + (90 + n) + " mm[Hg]"), note);
        Observation weight = byCode.get("29463-7");
        assertEquals(String.valueOf(71 + n), plain(weight.getValueQuantity().getValue()));
        assertEquals("kg", weight.getValueQuantity().getCode());
        assertEquals("Mean of 2 readings, range " + (70 + n) + " to " + (72 + n) + " kg.", weight.getNoteFirstRep().getText());
    }

    // ------------------------------------------------------------------------------------------------- tests

    @Test
    void aDailySummaryArrivesOncePerPatientAsADiagnosticReportOfItsStatisticObservations() throws Exception {
        Map<String, Object> produced = produce("sum-report");
        assertEquals(Boolean.FALSE, produced.get("alreadyDone"));
        assertEquals(2, ((Number) produced.get("patients")).intValue());
        assertEquals(2, ((Number) produced.get("items")).intValue());
        awaitDelivered("sum-report", 2);

        List<DiagnosticReport> reports = ehr.diagnosticReports();
        List<Observation> observations = ehr.observations();
        for (int n = 0; n < 2; n++) {
            UUID p = patients.get(n);
            List<DiagnosticReport> mine = reports.stream().filter(r -> r.getIdentifier().stream()
                    .anyMatch(i -> SUMMARY_SYSTEM.equals(i.getSystem()) && key(p).equals(i.getValue()))).toList();
            assertEquals(1, mine.size(), "one DiagnosticReport for patient " + n);
            DiagnosticReport r = mine.get(0);
            assertEquals("85353-1", r.getCode().getCodingFirstRep().getCode());
            assertEquals(DiagnosticReport.DiagnosticReportStatus.FINAL, r.getStatus());
            assertEquals(dayStart, r.getEffectivePeriod().getStart().toInstant());
            Map<String, Observation> byCode = summaryObservations(p, observations);
            assertStatistics(n, byCode);
            // The report's results are exactly its patient's two statistic Observations, as stored at the EHR.
            Set<String> results = r.getResult().stream().map(Reference::getReference).collect(Collectors.toSet());
            Set<String> stored = byCode.values().stream().map(o -> "Observation/" + o.getIdElement().getIdPart()).collect(Collectors.toSet());
            assertEquals(stored, results);
            assertEquals(byCode.get("85354-9").getSubject().getReference(), r.getSubject().getReference());
            assertTrue(r.getConclusion().contains("Body weight " + (71 + n) + " kg (mean of 2 readings, range " + (70 + n) + " to "
                    + (72 + n) + " kg)"), r.getConclusion());
        }
        assertEquals(2, ehr.diagnosticReportCount());
        assertTrue(ehr.diagnosticReportCreatesByIdentifier().values().stream().allMatch(c -> c == 1));

        // The same day again: recorded as done, nothing new in the outbox.
        Map<String, Object> again = produce("sum-report");
        assertEquals(Boolean.TRUE, again.get("alreadyDone"));
        assertEquals(0, ((Number) again.get("items")).intValue());
        assertEquals(2, items("sum-report").size());

        // A re-send of a delivered summary (as after an answer lost on the way back) finds what the first made.
        int hits = ehr.diagnosticReportConditionalCreateHits();
        registry.exec("UPDATE ehr_outbox SET status = 'pending', next_attempt_at = now() WHERE endpoint_id = 'sum-report' "
                + "AND patient_id = ?", patients.get(0));
        awaitDelivered("sum-report", 2);
        Eventually.await(WAIT, ehr::diagnosticReportConditionalCreateHits, h -> h == hits + 1, "the re-sent report found at the EHR");
        assertEquals(2, ehr.diagnosticReportCount(), "still one DiagnosticReport per patient");
        assertEquals(2, summaryObservations(patients.get(0), ehr.observations()).size());
        assertSummaryObservationsValid();
    }

    /**
     * Today is still running: summarised now it would be recorded as done with part of its readings and never made
     * again. A start that is no midnight would be a second, overlapping summary of the day under another key.
     */
    @Test
    void onlyAClosedPeriodStartingOnItsBoundaryIsProduced() throws Exception {
        Instant today = dayStart.plus(Duration.ofDays(1));
        assertEquals(409, statusOf(produceRequest("sum-obs", today)));
        assertEquals(400, statusOf(produceRequest("sum-obs", dayStart.plus(Duration.ofHours(5)))));
        assertEquals(400, statusOf(produceRequest("sum-obs", null)));
        assertEquals(403, statusOf(HttpRequest.POST("/api/v1/ehr/endpoints/sum-obs/summaries?start=" + dayStart, "")
                .bearerAuth(token(registry.tenant()))));
        assertEquals(0, registry.count("SELECT count(*) FROM ehr_summary_runs WHERE tenant_id = ? AND period_start <> ?",
                registry.tenant(), java.sql.Timestamp.from(dayStart)), "nothing recorded for a refused period");
    }

    private MutableHttpRequest<String> produceRequest(String endpoint, Instant start) {
        return HttpRequest.POST("/api/v1/ehr/endpoints/" + endpoint + "/summaries?start=" + (start == null ? "yesterday" : start), "")
                .bearerAuth(adminToken(registry.tenant()));
    }

    private int statusOf(MutableHttpRequest<String> request) {
        try {
            http.toBlocking().exchange(request);
            throw new AssertionError("refused expected: " + request.getUri());
        } catch (HttpClientResponseException e) {
            return e.getStatus().getCode();
        }
    }

    @Test
    void asObservationsASummaryIsOneProfiledObservationPerVitalWithNoReport() throws Exception {
        int reportsBefore = ehr.diagnosticReportCount();
        Map<String, Object> produced = produce("sum-obs");
        assertEquals(2, ((Number) produced.get("items")).intValue());
        awaitDelivered("sum-obs", 2);
        for (int n = 0; n < 2; n++) {
            Map<String, Observation> byCode = summaryObservations(patients.get(n), ehr.observations());
            assertStatistics(n, byCode);
            assertEquals("http://hl7.org/fhir/StructureDefinition/bp", byCode.get("85354-9").getMeta().getProfile().get(0).getValue());
            assertEquals("http://hl7.org/fhir/StructureDefinition/bodyweight",
                    byCode.get("29463-7").getMeta().getProfile().get(0).getValue());
        }
        assertEquals(reportsBefore, ehr.diagnosticReportCount(), "summary-as: observations sends no report");
        assertEquals(Boolean.TRUE, produce("sum-obs").get("alreadyDone"));
        assertSummaryObservationsValid();
    }

    /**
     * Cumulative over the class, so whichever FHIR test runs last checks both shapes. Needs the sandbox's vs-1
     * correction: as HAPI ships the vital-signs profiles, every effectivePeriod fails vs-1.
     */
    private void assertSummaryObservationsValid() {
        assertEquals(List.of(), ehr.validationErrors(), "every summary Observation valid against its vital-signs profile");
        assertTrue(ehr.observationsValidated() >= 4, "validated: " + ehr.observationsValidated());
    }

    @Test
    void overHl7ASummaryIsOneOruWithMeanMinimumMaximumAndCountPerMeasuredCode() throws Exception {
        Map<String, Object> produced = produce("sum-hl7");
        assertEquals(2, ((Number) produced.get("items")).intValue());
        List<List<Object>> rows = awaitDelivered("sum-hl7", 2);
        HapiContext hapi = new DefaultHapiContext();
        for (int n = 0; n < 2; n++) {
            UUID p = patients.get(n);
            String control = rows.stream().filter(r -> ((String) r.get(1)).contains(p.toString())).findFirst().orElseThrow().get(3).toString();
            assertEquals(1, ehr.messagesByControlId().get(control), "one message per patient and day");
            String er7 = ehr.messages().stream().filter(m -> m.contains("|" + control + "|")).findFirst().orElseThrow();
            ORU_R01 oru = (ORU_R01) hapi.getPipeParser().parse(er7);
            assertEquals(mrn(p), oru.getPATIENT_RESULT().getPATIENT().getPID().getPatientIdentifierList(0).getIDNumber().getValue());
            ORU_R01_ORDER_OBSERVATION order = oru.getPATIENT_RESULT().getORDER_OBSERVATION();
            assertEquals("85353-1", order.getOBR().getUniversalServiceIdentifier().getIdentifier().getValue());
            assertEquals(key(p), order.getOBR().getFillerOrderNumber().getEntityIdentifier().getValue());
            assertTrue(order.getOBR().getObservationDateTime().getTime().getValue().startsWith(
                    dayStart.toString().substring(0, 10).replace("-", "") + "000000"), er7);

            // OBX-3 → {OBX-4, OBX-5, OBX-6, OBX-17}
            Map<String, List<String>> obx = new HashMap<>();
            for (int k = 0; k < order.getOBSERVATIONReps(); k++) {
                ORU_R01_OBSERVATION g = order.getOBSERVATION(k);
                OBX x = g.getOBX();
                List<String> fields = List.of(x.getObservationSubID().getValue(), x.getObservationValue(0).getData().encode(),
                        x.getUnits().getIdentifier().getValue(),
                        x.getObservationMethodReps() == 0 ? "" : x.getObservationMethod(0).getIdentifier().getValue());
                assertTrue(obx.put(x.getObservationIdentifier().getIdentifier().getValue(), fields) == null, "one OBX per code: " + er7);
            }
            assertEquals(12, obx.size(), "four statistics for each of systolic, diastolic and weight: " + er7);
            assertStatisticObx(obx, "8480-6", 130 + n, 120 + n, 140 + n, 3, "mm[Hg]");
            assertStatisticObx(obx, "8462-4", 85 + n, 80 + n, 90 + n, 3, "mm[Hg]");
            assertStatisticObx(obx, "29463-7", 71 + n, 70 + n, 72 + n, 2, "kg");
        }
        assertEquals(Boolean.TRUE, produce("sum-hl7").get("alreadyDone"));
    }

    private static void assertStatisticObx(Map<String, List<String>> obx, String code, int mean, int min, int max, int count, String unit) {
        List<String> m = obx.get(code);
        assertEquals(List.of(String.valueOf(mean), unit, "average"), m.subList(1, 4), code + " mean");
        assertEquals(List.of(m.get(0), String.valueOf(min), unit, ""), obx.get(code + ":minimum"), code + " minimum");
        assertEquals(List.of(m.get(0), String.valueOf(max), unit, ""), obx.get(code + ":maximum"), code + " maximum");
        assertEquals(List.of(m.get(0), String.valueOf(count), "{readings}", ""), obx.get(code + ":count"), code + " count");
        assertFalse(m.get(0).isEmpty(), code + " has a sub-id shared by its statistics");
    }
}
