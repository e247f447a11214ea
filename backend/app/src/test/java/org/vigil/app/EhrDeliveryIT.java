package org.vigil.app;

import ca.uhn.fhir.context.FhirContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.app.api.EhrKeysController.KeyEntry;
import org.vigil.core.ContentHash;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.sandbox.EhrSandbox;
import org.vigil.sandbox.Mode;
import org.vigil.sandbox.SandboxOptions;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How items travel, against the sandbox EHR: FHIR transaction bundles (and one item the EHR refuses inside one),
 * MLLP over TLS with a pinned certificate, a signing-key rotation while readings flow, and the daily
 * reconciliation of what was produced against what arrived.
 */
@MicronautTest
class EhrDeliveryIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";
    private static final Set<String> SCOPES = Set.of("system/Patient.read", "system/Observation.write", "system/Device.write",
            "system/DiagnosticReport.write");
    /**
     * The sandbox's access tokens live 32 s; the backend replaces a token 30 s before it expires, so it signs a new
     * client assertion every couple of seconds and a key rotation shows within a test.
     */
    private static final Duration TOKEN_LIFETIME = Duration.ofSeconds(32);

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
        // Validation off: these tests are about delivery, and EhrSyncIT and EhrSummariesIT check the shapes.
        ehr = EhrSandbox.start(SandboxOptions.defaults().withValidate(false).withTokenLifetime(TOKEN_LIFETIME));
        registry = Registry.newTenant("ehr-dlv");
        devices = new Devices(registry.tenant());
        register(registry);
    }

    @AfterAll
    void tearDown() throws Exception {
        devices.close();
        registry.close();
        ehr.close();
    }

    // ------------------------------------------------------------------------------------------------- helpers

    private void register(Registry r) {
        ehr.registerClient("vigil-" + r.tenant(),
                URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/tenants/" + r.tenant() + "/jwks.json"), SCOPES);
    }

    private static String mrn(Registry r, UUID patient) throws Exception {
        return (String) r.rows("SELECT value FROM patient_identifiers WHERE patient_id = ?", patient).get(0).get(0);
    }

    /** A patient with a cuff; known to the sandbox EHR by MRN (its id there returned in {@code ehrIds}). */
    private UUID patient(Registry r, String name, String serial, Map<UUID, String> ehrIds) throws Exception {
        UUID p = r.patient(name);
        r.assign(r.device("blood-pressure-cuff", serial), p, Instant.now().minus(Duration.ofDays(30)), null);
        String id = ehr.addPatient(MRN_SYSTEM, mrn(r, p), name.split(" ")[1], name.split(" ")[0]);
        if (ehrIds != null) {
            ehrIds.put(p, id);
        }
        return p;
    }

    private void consent(Registry r, UUID patient, String endpoint) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/patients/" + patient + "/consents/" + endpoint,
                Map.of("status", "active")).bearerAuth(token(r.tenant())));
    }

    private void endpoint(Registry r, String id, String document) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/ehr/endpoints/" + id, document)
                .contentType(MediaType.of("application/yaml")).bearerAuth(adminToken(r.tenant())));
    }

    private String fhirEndpoint(Registry r, String algorithm, int bundle) {
        return "kind: fhir\nsandbox: true\nfhir:\n  base-url: " + ehr.fhirBaseUrl() + "\n  token-url: " + ehr.tokenUrl()
                + "\n  client-id: vigil-" + r.tenant() + "\n  algorithm: " + algorithm + "\n  patient-identifier-system: " + MRN_SYSTEM
                + "\n  bundle-size: " + bundle + "\nsend:\n  readings: all\n"
                + "delivery:\n  timeout: 5s\n  backoff-min: 1s\n  backoff-max: 2s\n  max-failures: 2\n  breaker-open: 1s\n";
    }

    private static String mllpEndpoint(int port, String tls) {
        return "kind: mllp\nsandbox: true\nmllp:\n  host: 127.0.0.1\n  port: " + port + "\n" + tls + "  receiving-application: EPIC\n"
                + "  receiving-facility: GENHOSP\n  patient-identifier-system: " + MRN_SYSTEM + "\n  assigning-authority: GENHOSP\n"
                + "send:\n  readings: all\n"
                + "delivery:\n  timeout: 2s\n  backoff-min: 1s\n  backoff-max: 2s\n  max-failures: 2\n  breaker-failures: 3\n  breaker-open: 2s\n";
    }

    /** status, reason, item_key, control_id, ack_code, attempts, failures, last_error of an endpoint's items, oldest first. */
    private static List<List<Object>> items(Registry r, String endpoint) {
        try {
            return r.rows("SELECT status, coalesce(reason, ''), item_key, coalesce(control_id, ''), coalesce(ack_code, ''), attempts, "
                    + "failures, coalesce(last_error, ''), patient_id FROM ehr_outbox WHERE tenant_id = ? AND endpoint_id = ? "
                    + "ORDER BY seq", r.tenant(), endpoint);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<List<Object>> await(Registry r, String endpoint, String what, java.util.function.Predicate<List<List<Object>>> check) {
        return Eventually.await(WAIT, () -> items(r, endpoint), check, what + " (endpoint " + endpoint + ")");
    }

    private static long count(List<List<Object>> rows, String status) {
        return rows.stream().filter(row -> status.equals(row.get(0))).count();
    }

    private static String hash(Registry r, String serial, int systolic, int diastolic, Instant effective) {
        return ContentHash.of(new TenantId(r.tenant()), serial, "85354-9", effective,
                List.of(new Measurement("8480-6", systolic, "mm[Hg]"), new Measurement("8462-4", diastolic, "mm[Hg]")));
    }

    private int resend(Registry r, String endpoint, String query) {
        Map<?, ?> body = http.toBlocking().retrieve(HttpRequest.POST("/api/v1/ehr/endpoints/" + endpoint + "/resend" + query, "")
                .bearerAuth(adminToken(r.tenant())), Map.class);
        return ((Number) body.get("items")).intValue();
    }

    /**
     * Creates an Observation at the sandbox EHR directly, as another system writing to the chart would: with the
     * identifier of one of our readings, twice, so our conditional create on it matches two and is refused (412).
     */
    private void occupyIdentifier(String ehrPatientId, String readingHash) throws Exception {
        Observation o = new Observation().setStatus(Observation.ObservationStatus.FINAL)
                .setCode(new CodeableConcept(new Coding("http://loinc.org", "85354-9", "Blood pressure panel")))
                .setSubject(new Reference("Patient/" + ehrPatientId));
        o.addIdentifier().setSystem("urn:vigil:reading").setValue(readingHash);
        String json = FhirContext.forR4Cached().newJsonParser().encodeResourceToString(o);
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> rsp = client.send(java.net.http.HttpRequest.newBuilder(URI.create(ehr.fhirBaseUrl() + "/Observation"))
                    .header("Authorization", "Bearer " + ehr.issueToken(Set.of("system/Observation.write")))
                    .header("Content-Type", "application/fhir+json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(201, rsp.statusCode(), rsp.body());
        }
    }

    // ------------------------------------------------------------------------------------------------- bundles

    /**
     * 25 readings of five patients become pending at once (held for consent, then re-sent), and go as transaction
     * bundles of up to 10: three transactions, every Observation created once.
     */
    @Test
    void bundlesOfTenCarry25ReadingsInThreeTransactionsEachObservationOnce() throws Exception {
        endpoint(registry, "bundles", fhirEndpoint(registry, "ES384", 10));
        List<UUID> patients = new ArrayList<>();
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
        for (int p = 0; p < 5; p++) {
            UUID id = patient(registry, "Bea" + p + " Bundle", "CUFF-BDL-" + p, null);
            patients.add(id);
            for (int k = 0; k < 5; k++) {
                devices.bloodPressure("CUFF-BDL-" + p, 110 + k, 70 + p, t.plusSeconds(60L * k));
            }
        }
        await(registry, "bundles", "25 items held without consent", rows -> rows.size() == 25 && count(rows, "held") == 25);
        patients.forEach(p -> consent(registry, p, "bundles"));
        int before = ehr.transactionCount();
        assertEquals(25, resend(registry, "bundles", "?reason=consent-missing"));

        List<List<Object>> rows = await(registry, "bundles", "25 delivered", r -> count(r, "delivered") == 25);
        Map<String, Integer> created = ehr.observationCreatesByIdentifier();
        for (List<Object> row : rows) {
            assertEquals(1, created.get((String) row.get(2)), "one Observation for reading " + row.get(2));
            assertEquals(1, ((Number) row.get(5)).intValue(), "delivered at the first attempt");
        }
        int transactions = ehr.transactionCount() - before;
        assertTrue(transactions >= 3 && transactions <= 5, "25 items in bundles of at most 10 took " + transactions + " transactions");
    }

    /**
     * Another system made two Observations with one of our readings' identifiers, so the EHR refuses that reading's
     * conditional create (412) and with it the whole transaction. The bundle is re-sent item by item: the seven good
     * items arrive, the bad one alone is retried and dead-lettered with the EHR's reason.
     */
    @Test
    void aBundleTheEhrRefusesForOneItemDeliversTheOthersAndDeadLettersOnlyThatOne() throws Exception {
        endpoint(registry, "bundle-bad", fhirEndpoint(registry, "ES384", 10));
        Map<UUID, String> ehrIds = new HashMap<>();
        UUID first = patient(registry, "Bart Badbundle", "CUFF-BB-1", ehrIds);
        UUID second = patient(registry, "Bess Badbundle", "CUFF-BB-2", ehrIds);
        Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(2));
        for (int k = 0; k < 4; k++) {
            devices.bloodPressure("CUFF-BB-1", 120 + k, 80, t.plusSeconds(60L * k));
            devices.bloodPressure("CUFF-BB-2", 130 + k, 85, t.plusSeconds(60L * k));
        }
        String bad = hash(registry, "CUFF-BB-1", 121, 80, t.plusSeconds(60));
        await(registry, "bundle-bad", "8 items held without consent", rows -> rows.size() == 8 && count(rows, "held") == 8);
        assertTrue(items(registry, "bundle-bad").stream().anyMatch(r -> bad.equals(r.get(2))), "the reading's item is keyed by its hash");
        occupyIdentifier(ehrIds.get(first), bad);
        consent(registry, first, "bundle-bad");
        consent(registry, second, "bundle-bad");
        assertEquals(8, resend(registry, "bundle-bad", "?reason=consent-missing"));

        List<List<Object>> rows = await(registry, "bundle-bad", "7 delivered and 1 dead",
                r -> count(r, "delivered") == 7 && count(r, "dead") == 1);
        List<Object> dead = rows.stream().filter(r -> "dead".equals(r.get(0))).findFirst().orElseThrow();
        assertEquals(bad, dead.get(2), "only the refused reading is dead");
        assertEquals("refused", dead.get(1));
        assertEquals(2, ((Number) dead.get(6)).intValue(), "dead after max-failures (2) refusals");
        assertTrue(((String) dead.get(7)).contains("412"), "the EHR's answer is kept: " + dead.get(7));
        Map<String, Integer> created = ehr.observationCreatesByIdentifier();
        for (List<Object> row : rows) {
            if (!bad.equals(row.get(2))) {
                assertEquals(1, created.get((String) row.get(2)), "one Observation for reading " + row.get(2));
            }
        }
        assertEquals(2, created.get(bad), "nothing of ours was added to the two that were there");
    }

    // ------------------------------------------------------------------------------------------------- MLLP over TLS

    @Test
    void mllpOverTlsDeliversToTheTrustedCertificateAndPlainTextToTheTlsPortDeliversNothing() throws Exception {
        try (EhrSandbox tlsEhr = EhrSandbox.start(SandboxOptions.defaults().withValidate(false).withMllpTls(true))) {
            String pem = tlsEhr.mllpCertificatePem().strip().lines().map(l -> "    " + l).collect(Collectors.joining("\n"));
            endpoint(registry, "tls", mllpEndpoint(tlsEhr.mllpPort(), "  tls: true\n  trusted-certificate: |\n" + pem + "\n"));
            endpoint(registry, "plain-to-tls", mllpEndpoint(tlsEhr.mllpPort(), ""));
            UUID secure = patient(registry, "Tessa Tls", "CUFF-TLS-1", null);
            UUID plain = patient(registry, "Paul Plain", "CUFF-TLS-2", null);
            consent(registry, secure, "tls");
            consent(registry, plain, "plain-to-tls");
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(120);
            devices.bloodPressure("CUFF-TLS-1", 125, 81, t);
            devices.bloodPressure("CUFF-TLS-2", 126, 82, t);

            List<List<Object>> secureRows = await(registry, "tls", "the TLS item delivered",
                    rows -> rows.stream().anyMatch(r -> "delivered".equals(r.get(0)) && secure.equals(r.get(8))));
            List<Object> delivered = secureRows.stream().filter(r -> secure.equals(r.get(8))).findFirst().orElseThrow();
            assertEquals("AA", delivered.get(4));
            assertEquals(1, tlsEhr.messagesByControlId().get((String) delivered.get(3)));
            assertEquals(mrn(registry, secure) + "^^^GENHOSP^MR", tlsEhr.patientsByControlId().get((String) delivered.get(3)));

            // The plain-text endpoint has tried by now (its item was made with the other): it cannot be understood.
            List<List<Object>> plainRows = await(registry, "plain-to-tls", "plain-text attempts that failed",
                    rows -> rows.stream().anyMatch(r -> plain.equals(r.get(8)) && ((Number) r.get(5)).intValue() >= 2));
            List<Object> stuck = plainRows.stream().filter(r -> plain.equals(r.get(8))).findFirst().orElseThrow();
            assertEquals("pending", stuck.get(0), "unreachable, not dead: " + stuck);
            assertEquals(0, ((Number) stuck.get(6)).intValue(), "an endpoint failure does not count against the item");
            assertTrue(!tlsEhr.patientsByControlId().containsValue(mrn(registry, plain) + "^^^GENHOSP^MR"),
                    "nothing of the plain-text endpoint was received: " + tlsEhr.patientsByControlId());
            assertEquals(1, tlsEhr.messages().size(), "only the TLS endpoint's message arrived");
        } finally {
            // The receiver is gone with this test: its endpoints would go on probing a closed port.
            endpoint(registry, "tls", mllpEndpoint(1, "") + "enabled: false\n");
            endpoint(registry, "plain-to-tls", mllpEndpoint(1, "") + "enabled: false\n");
        }
    }

    // ------------------------------------------------------------------------------------------------- key rotation

    /**
     * RS384 rotation while a patient's readings flow to a FHIR endpoint: stage the next key (published, not
     * signing), promote it. Readings before, between and after arrive at their first attempt; the EHR accepted
     * assertions signed by both keys and refused no token request.
     */
    @Test
    void rotatingTheSigningKeyWhileReadingsFlowNeedsNoDowntime() throws Exception {
        try (Registry rot = Registry.newTenant("ehr-rot"); Devices rotDevices = new Devices(rot.tenant())) {
            register(rot);
            endpoint(rot, "rotate", fhirEndpoint(rot, "RS384", 1));
            UUID p = patient(rot, "Rosa Rotation", "CUFF-ROT-1", null);
            consent(rot, p, "rotate");
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minusSeconds(600);
            int[] sent = {0};
            Runnable reading = () -> {
                try {
                    rotDevices.bloodPressure("CUFF-ROT-1", 120 + sent[0], 80, t.plusSeconds(10L * sent[0]));
                    sent[0]++;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            reading.run();
            await(rot, "rotate", "the first reading delivered", rows -> rows.size() == 1 && count(rows, "delivered") == 1);
            String first = activeKid(rot);
            assertTrue(ehr.assertionKids().contains(first), "signed with the first key");

            KeyEntry next = http.toBlocking().retrieve(HttpRequest.POST("/api/v1/ehr/keys/RS384/next", "")
                    .bearerAuth(adminToken(rot.tenant())), KeyEntry.class);
            for (int i = 0; i < 3; i++) {  // staged: still signing with the first key
                reading.run();
                Thread.sleep(1_000);
            }
            KeyEntry promoted = http.toBlocking().retrieve(HttpRequest.POST("/api/v1/ehr/keys/RS384/promote", "")
                    .bearerAuth(adminToken(rot.tenant())), KeyEntry.class);
            assertEquals(next.kid(), promoted.kid());
            for (int i = 0; i < 4; i++) {
                reading.run();
                Thread.sleep(1_000);
            }
            int total = sent[0];
            List<List<Object>> rows = await(rot, "rotate", total + " delivered", r -> r.size() == total && count(r, "delivered") == total);
            // A token obtained just before the promotion may still be in use: wait for the next assertion.
            Eventually.await(WAIT, ehr::assertionKids, kids -> kids.contains(next.kid()), "an assertion signed with the promoted key");
            reading.run();
            int all = sent[0];
            rows = await(rot, "rotate", all + " delivered", r -> r.size() == all && count(r, "delivered") == all);
            for (List<Object> row : rows) {
                assertEquals(1, ((Number) row.get(5)).intValue(), "every reading delivered at its first attempt: " + row);
                assertEquals(1, ehr.observationCreatesByIdentifier().get((String) row.get(2)));
            }
            assertTrue(ehr.assertionKids().containsAll(Set.of(first, next.kid())), ehr.assertionKids().toString());
            assertEquals(List.of(), ehr.tokenErrors());
        }
    }

    private String activeKid(Registry r) {
        KeyEntry[] keys = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/ehr/keys").bearerAuth(adminToken(r.tenant())), KeyEntry[].class);
        return Arrays.stream(keys).filter(k -> "RS384".equals(k.algorithm()) && "active".equals(k.status())).findFirst().orElseThrow().kid();
    }

    // ------------------------------------------------------------------------------------------------- reconciliation

    /**
     * One MLLP endpoint's day: three readings delivered, two held for want of consent, one rejected (AR, dead), one
     * pending while the receiver is down. Another tenant with an endpoint of the same name sees none of it.
     */
    @Test
    void theReconciliationCountsEachStateAndHeldReasonForItsTenantOnly() throws Exception {
        try (Registry rec = Registry.newTenant("ehr-rec"); Registry other = Registry.newTenant("ehr-rec-other");
             Devices recDevices = new Devices(rec.tenant())) {
            endpoint(rec, "recon", mllpEndpoint(ehr.mllpPort(), ""));
            endpoint(other, "recon", mllpEndpoint(ehr.mllpPort(), ""));
            UUID delivered = patient(rec, "Dora Delivered", "CUFF-REC-D", null);
            patient(rec, "Nils Noconsent", "CUFF-REC-N", null);
            UUID rejected = patient(rec, "Xena Rejected", "CUFF-REC-X", null);
            UUID pending = patient(rec, "Quinn Queued", "CUFF-REC-Q", null);
            for (UUID p : List.of(delivered, rejected, pending)) {
                consent(rec, p, "recon");
            }
            Instant t = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(1));
            for (int k = 0; k < 3; k++) {
                recDevices.bloodPressure("CUFF-REC-D", 120 + k, 80, t.plusSeconds(60L * k));
            }
            recDevices.bloodPressure("CUFF-REC-N", 121, 81, t);
            recDevices.bloodPressure("CUFF-REC-N", 122, 81, t.plusSeconds(60));
            await(rec, "recon", "3 delivered, 2 held", r -> count(r, "delivered") == 3 && count(r, "held") == 2);

            ehr.mllpMode(Mode.AR);
            try {
                recDevices.bloodPressure("CUFF-REC-X", 123, 82, t);
                await(rec, "recon", "the rejected one dead", r -> count(r, "dead") == 1);
            } finally {
                ehr.mllpMode(Mode.AA);
            }
            ehr.mllpDown(true);
            try {
                recDevices.bloodPressure("CUFF-REC-Q", 124, 83, t);
                await(rec, "recon", "one pending", r -> r.size() == 7 && count(r, "pending") == 1);
                Map<String, Object> day = reconciliation(rec, "recon");
                assertEquals(7L, number(day, "produced"));
                assertEquals(3L, number(day, "delivered"));
                assertEquals(1L, number(day, "pending"));
                assertEquals(Map.of("consent-missing", 2), day.get("held"));
                assertEquals(1L, number(day, "dead"));
            } finally {
                ehr.mllpDown(false);
            }
            await(rec, "recon", "the pending one delivered after the receiver came back", r -> count(r, "delivered") == 4);
            Map<String, Object> after = reconciliation(rec, "recon");
            assertEquals(7L, number(after, "produced"));
            assertEquals(4L, number(after, "delivered"));
            assertEquals(0L, number(after, "pending"));

            Map<String, Object> theirs = reconciliation(other, "recon");
            assertEquals(0L, number(theirs, "produced"), "another tenant's endpoint of the same name: " + theirs);
            assertEquals(Map.of(), theirs.get("held"));
            assertTrue(reconciliationRows(registry).stream().noneMatch(r -> "recon".equals(r.get("endpoint"))),
                    "this class's main tenant has no 'recon' row");
        }
    }

    @SuppressWarnings("unchecked")
    private List<Map<String, Object>> reconciliationRows(Registry r) {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        Map<String, Object>[] rows = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/ehr/reconciliation?day=" + today)
                .bearerAuth(token(r.tenant())), Map[].class);
        return List.of(rows);
    }

    private Map<String, Object> reconciliation(Registry r, String endpoint) {
        List<Map<String, Object>> rows = reconciliationRows(r);
        List<Map<String, Object>> mine = rows.stream().filter(m -> endpoint.equals(m.get("endpoint"))).toList();
        assertEquals(1, mine.size(), rows.toString());
        return mine.get(0);
    }

    private static long number(Map<String, Object> m, String key) {
        return ((Number) m.get(key)).longValue();
    }
}
