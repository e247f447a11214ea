package org.vigil.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.runtime.server.EmbeddedServer;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.sandbox.EhrSandbox;
import org.vigil.sandbox.SandboxOptions;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The must-show outage: both EHR endpoints (FHIR and MLLP) of a tenant are down for five minutes while 10,000
 * readings make 10,000 items for each; alerts keep opening meanwhile; after recovery every item is delivered and
 * the sandbox counts each identifier (FHIR) and control id (HL7) exactly once. The outage length can be shortened
 * for a quick local run with -Dvigil.test.ehr-outage=PT30S.
 */
@MicronautTest
class EhrOutageIT extends BackendTestSupport {
    private static final String MRN_SYSTEM = "urn:oid:2.16.840.1.113883.19.5";
    private static final int PATIENTS = 100;
    private static final int PER_PATIENT = 100;
    private static final Duration OUTAGE = Duration.parse(System.getProperty("vigil.test.ehr-outage", "PT5M"));

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    EmbeddedServer server;

    private EhrSandbox ehr;
    private Registry registry;
    private Devices devices;
    private final List<String> serials = new ArrayList<>();
    private final List<UUID> patients = new ArrayList<>();

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new java.util.HashMap<>(super.getProperties());
        p.put("vigil.ehr.idle-poll", "200ms");
        return p;
    }

    @BeforeAll
    void setUp() throws Exception {
        // Validation off: this test is about counts, and validating 10,000 Observations would only slow the sandbox.
        ehr = EhrSandbox.start(SandboxOptions.defaults().withValidate(false));
        registry = Registry.newTenant("outage");
        devices = new Devices(registry.tenant());
        ehr.registerClient("vigil-" + registry.tenant(),
                URI.create("http://127.0.0.1:" + server.getPort() + "/api/v1/tenants/" + registry.tenant() + "/jwks.json"),
                Set.of("system/Patient.read", "system/Observation.write", "system/Device.write"));
        put("chart", "kind: fhir\nfhir:\n  base-url: " + ehr.fhirBaseUrl() + "\n  token-url: " + ehr.tokenUrl() + "\n  client-id: vigil-"
                + registry.tenant() + "\n  scope: system/Patient.read system/Observation.write system/Device.write\n"
                + "  patient-identifier-system: " + MRN_SYSTEM + "\n  bundle-size: 50\nsend:\n  readings: all\n"
                + "delivery:\n  concurrency: 4\n  timeout: 3s\n  backoff-max: 20s\n  breaker-open: 5s\n");
        put("feed", "kind: mllp\nmllp:\n  host: 127.0.0.1\n  port: " + ehr.mllpPort() + "\n  receiving-application: EPIC\n"
                + "  receiving-facility: GENHOSP\n  window: 10\n  patient-identifier-system: " + MRN_SYSTEM
                + "\n  assigning-authority: GENHOSP\nsend:\n  readings: all\ndelivery:\n  concurrency: 4\n  timeout: 3s\n"
                + "  backoff-max: 20s\n  breaker-open: 5s\n");
        for (int i = 0; i < PATIENTS; i++) {
            UUID p = registry.patient("Olive Outage" + i);
            String serial = "CUFF-OUT-" + i;
            registry.assign(registry.device("blood-pressure-cuff", serial), p, Instant.now().minus(Duration.ofDays(30)), null);
            String mrn = (String) registry.rows("SELECT value FROM patient_identifiers WHERE patient_id = ?", p).get(0).get(0);
            ehr.addPatient(MRN_SYSTEM, mrn, "Outage" + i, "Olive");
            for (String endpoint : List.of("chart", "feed")) {
                http.toBlocking().exchange(HttpRequest.PUT("/api/v1/patients/" + p + "/consents/" + endpoint, Map.of("status", "active"))
                        .bearerAuth(token(registry.tenant())));
            }
            patients.add(p);
            serials.add(serial);
        }
    }

    private void put(String id, String doc) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/ehr/endpoints/" + id, doc).contentType(MediaType.of("application/yaml"))
                .bearerAuth(adminToken(registry.tenant())));
    }

    @AfterAll
    void tearDown() throws Exception {
        devices.close();
        registry.close();
        ehr.close();
    }

    @Test
    void tenThousandItemsWaitOutAFiveMinuteOutageAndArriveExactlyOnceWhileAlertsKeepFlowing() throws Exception {
        ehr.fhirDown(true);
        ehr.mllpDown(true);
        Instant down = Instant.now();
        Instant t0 = down.truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofHours(3));
        for (int p = 0; p < PATIENTS; p++) {
            for (int k = 0; k < PER_PATIENT; k++) {
                // In range: these are for the chart, not alarms. One minute apart, oldest first.
                devices.bloodPressure(serials.get(p), 110 + (k % 20), 70 + (k % 10), t0.plusSeconds(60L * k + p));
            }
        }
        long produced = Eventually.await(Duration.ofMinutes(2), this::itemCount, n -> n == 2L * PATIENTS * PER_PATIENT,
                "20,000 items produced (10,000 per endpoint)");
        assertEquals(2L * PATIENTS * PER_PATIENT, produced);

        // Alarms do not wait for the EHR: critical readings during the outage open alerts within seconds.
        List<Long> alertMs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String serial = serials.get(i);
            Instant published = Instant.now();
            devices.bloodPressure(serial, 205, 125, published.truncatedTo(ChronoUnit.SECONDS));
            UUID patient = patients.get(i);
            Eventually.await(Duration.ofSeconds(10), () -> count("SELECT count(*) FROM alerts WHERE tenant_id = ? AND patient_id = ?",
                    registry.tenant(), patient), n -> n >= 1, "an alert during the EHR outage");
            alertMs.add(Duration.between(published, Instant.now()).toMillis());
        }
        assertEquals(0, ehr.observationCount());
        assertEquals(0, ehr.messagesByControlId().size());

        long wait = OUTAGE.minus(Duration.between(down, Instant.now())).toMillis();
        if (wait > 0) {
            Thread.sleep(wait);
        }
        long pendingAtRecovery = count("SELECT count(*) FROM ehr_outbox WHERE tenant_id = ? AND status = 'pending'", registry.tenant());
        ehr.fhirDown(false);
        ehr.mllpDown(false);
        Instant up = Instant.now();
        long critical = 5;  // the critical readings are items too
        long expected = 2 * (PATIENTS * PER_PATIENT + critical);
        Eventually.await(Duration.ofMinutes(6), () -> count("SELECT count(*) FROM ehr_outbox WHERE tenant_id = ? AND status = 'delivered'",
                registry.tenant()), n -> n == expected, "every item delivered after recovery");
        Duration drain = Duration.between(up, Instant.now());

        Map<String, Integer> observations = ehr.observationCreatesByIdentifier();
        assertEquals(PATIENTS * PER_PATIENT + critical, observations.size(), "one Observation per reading at the FHIR server");
        assertTrue(observations.values().stream().allMatch(n -> n == 1), "no identifier created twice");
        Map<String, Integer> messages = ehr.messagesByControlId();
        assertEquals(PATIENTS * PER_PATIENT + critical, messages.size(), "one control id per reading at the MLLP receiver");
        long resent = messages.values().stream().filter(n -> n > 1).count();
        assertEquals(0, count("SELECT count(*) FROM ehr_outbox WHERE tenant_id = ? AND status IN ('dead', 'held')", registry.tenant()));
        System.out.printf("EHR outage: %d items pending when the endpoints came back after %s; all delivered %s later; "
                        + "alerts during the outage opened in %s ms; FHIR transactions %d, HL7 control ids received more than once %d%n",
                pendingAtRecovery, OUTAGE, drain, alertMs, ehr.transactionCount(), resent);
    }

    private long itemCount() {
        return count("SELECT count(*) FROM ehr_outbox WHERE tenant_id = ?", registry.tenant());
    }

    private long count(String sql, Object... args) {
        return registry.count(sql, args);
    }
}
