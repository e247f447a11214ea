package org.vigil.app;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.app.api.DeadLettersController.DeadLetterPage;
import org.vigil.app.api.DeadLettersController.DeadLetterView;
import org.vigil.app.api.DeadLettersController.Resubmitted;
import org.vigil.app.api.HubWebhookController.Accepted;
import org.vigil.core.WebhookSignature;
import org.vigil.registry.DeviceView;
import org.vigil.telemetry.ReadingPage;
import org.vigil.telemetry.StoredReading;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The edge transports against the real stack: hub envelopes over NATS and MQTT, the signed webhook, and
 * dead letters re-submitted after the registry was fixed. Each test uses its own devices and patient.
 */
@MicronautTest
class EdgeIngestIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    @Client("/")
    HttpClient http;

    private Registry registry;
    private Registry other;
    private Devices devices;
    private final byte[] secret = new byte[32];
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    void fleet() throws Exception {
        registry = Registry.newTenant("edge");
        other = Registry.newTenant("edge-other");
        devices = new Devices(registry.tenant());
        new SecureRandom().nextBytes(secret);
        registry.webhookKey("k1", secret);
    }

    @AfterAll
    void close() throws Exception {
        devices.close();
        registry.close();
        other.close();
    }

    /** A patient with a hub and the given measuring devices, all assigned. */
    private UUID patientWith(String hub, String... serials) throws Exception {
        UUID patient = registry.patient("Patient of " + hub);
        registry.assign(registry.device("hub", hub), patient, null, null);
        for (String s : serials) {
            registry.assign(registry.device(s.startsWith("CUFF") ? "blood-pressure-cuff" : "scale", s), patient, null, null);
        }
        return patient;
    }

    private List<StoredReading> readings(UUID patient, String code) {
        String uri = "/api/v1/patients/" + patient + "/readings?limit=5000&from=" + now.minus(3, ChronoUnit.DAYS)
                + "&to=" + Instant.now().plusSeconds(600) + (code == null ? "" : "&code=" + code);
        return http.toBlocking().retrieve(get(uri, registry.tenant()), ReadingPage.class).items();
    }

    private List<DeadLetterView> deadLetters(String query) {
        return http.toBlocking().retrieve(get("/api/v1/dead-letters?" + query, registry.tenant()), DeadLetterPage.class).items();
    }

    private static String envelope(String hub, Instant clock, String measurements) {
        return "{\"hub\":{\"serial\":\"" + hub + "\",\"battery\":87,\"signal\":-71,\"firmware\":\"2.4.1\",\"clock\":\"" + clock
                + "\"},\"measurements\":[" + measurements + "]}";
    }

    private static String weightLb(String device, double lb, Instant time) {
        return "{\"device\":\"" + device + "\",\"code\":\"29463-7\",\"value\":" + lb + ",\"unit\":\"lb\",\"time\":\"" + time + "\"}";
    }

    private static String bp(String device, int sys, int dia, Instant time) {
        return "{\"device\":\"" + device + "\",\"code\":\"85354-9\",\"time\":\"" + time + "\",\"components\":["
                + "{\"code\":\"8480-6\",\"value\":" + sys + ",\"unit\":\"mmHg\"},{\"code\":\"8462-4\",\"value\":" + dia + ",\"unit\":\"mmHg\"}]}";
    }

    @Test
    void aHubEnvelopeIsConvertedStoredAndReportsTheHubsStatus() throws Exception {
        UUID patient = patientWith("HUB-A", "SCALE-A", "CUFF-A");
        Instant t = now.minus(20, ChronoUnit.MINUTES);
        String body = envelope("HUB-A", Instant.now(), String.join(",",
                weightLb("SCALE-A", 180.0, t),
                bp("CUFF-A", 128, 82, t.plusSeconds(60)),
                bp("CUFF-A", 18, 11, t.plusSeconds(120))));  // kPa values sent as mmHg: impossible
        devices.publish("hub", "HUB-A", body.getBytes(StandardCharsets.UTF_8), null);

        List<StoredReading> weights = Eventually.await(WAIT, () -> readings(patient, "29463-7"), r -> r.size() == 1, "the weight");
        StoredReading w = weights.get(0);
        assertEquals(81.646627, w.value(), 1e-6);
        assertEquals("kg", w.unit());
        assertEquals(180.0, w.originalValue());
        assertEquals("lb", w.originalUnit());
        assertEquals(t, w.effective());
        assertEquals("hub", w.sourceFormat());
        assertEquals(2, Eventually.await(WAIT, () -> readings(patient, "85354-9"), r -> r.size() == 2, "one BP").size());

        DeadLetterView letter = Eventually.await(WAIT, () -> deadLetters("format=hub&code=IMPLAUSIBLE_VALUE"),
                l -> l.stream().anyMatch(d -> d.subject().endsWith(".HUB-A")), "the impossible BP").get(0);
        assertTrue(letter.reason().contains("2 readings were stored"), letter.reason());
        assertTrue(letter.reason().contains("/measurements/2"), letter.reason());

        List<DeviceView> fleet = Eventually.await(WAIT, () -> http.toBlocking().retrieve(get("/api/v1/devices", registry.tenant()),
                Argument.listOf(DeviceView.class)), f -> f.stream().anyMatch(d -> "HUB-A".equals(d.serial()) && d.batteryPercent() != null),
                "the hub's status");
        DeviceView hub = fleet.stream().filter(d -> "HUB-A".equals(d.serial())).findFirst().orElseThrow();
        assertEquals(87.0, hub.batteryPercent());
        assertEquals(-71, hub.signalDbm());
        assertEquals("2.4.1", hub.firmware());
        assertNotNull(hub.lastSeen());
        DeviceView scale = fleet.stream().filter(d -> "SCALE-A".equals(d.serial())).findFirst().orElseThrow();
        assertNotNull(scale.lastSeen(), "a device with a stored reading was seen");
    }

    @Test
    void anOvernightUploadOfOutOfOrderReadingsKeepsEachReadingsTime() throws Exception {
        UUID patient = patientWith("HUB-B", "SCALE-B");
        List<String> ms = new ArrayList<>();
        Instant start = now.minus(10, ChronoUnit.HOURS);
        for (int i = 0; i < 300; i++) {
            ms.add(weightLb("SCALE-B", 150 + (i % 40) / 4.0, start.plus(2L * i, ChronoUnit.MINUTES)));
        }
        Collections.shuffle(ms, new Random(7));
        devices.publish("hub", "HUB-B", envelope("HUB-B", Instant.now(), String.join(",", ms)).getBytes(StandardCharsets.UTF_8), null);

        List<StoredReading> stored = Eventually.await(WAIT, () -> readings(patient, "29463-7"), r -> r.size() == 300, "300 weights");
        for (int i = 0; i < 300; i++) {
            assertEquals(start.plus(2L * i, ChronoUnit.MINUTES), stored.get(i).effective(), "reading " + i);
        }
    }

    @Test
    void aHubClockThatIsAnHourSlowIsCorrected() throws Exception {
        UUID patient = patientWith("HUB-C", "SCALE-C");
        Duration slow = Duration.ofHours(1);
        Instant hubClock = Instant.now().minus(slow);
        Instant takenByHubClock = hubClock.minus(5, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS);
        devices.publish("hub", "HUB-C", envelope("HUB-C", hubClock, weightLb("SCALE-C", 170, takenByHubClock))
                .getBytes(StandardCharsets.UTF_8), null);

        StoredReading r = Eventually.await(WAIT, () -> readings(patient, "29463-7"), x -> x.size() == 1, "the weight").get(0);
        assertEquals(takenByHubClock, r.deviceTime(), "the device's own time is kept");
        Duration corrected = Duration.between(takenByHubClock, r.effective());
        assertTrue(corrected.minus(slow).abs().compareTo(Duration.ofSeconds(30)) < 0, "shifted by the drift: " + corrected);
        assertTrue(r.flags().stream().anyMatch(f -> f.startsWith("clock-corrected:")), r.flags().toString());
    }

    private HttpResponse<Accepted> webhook(String tenant, byte[] body, long t, String nonce) {
        return http.toBlocking().exchange(HttpRequest.POST("/webhooks/v1/" + tenant + "/hub", body)
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret, "k1", t, nonce, body)), Accepted.class);
    }

    private static String nonce() {
        return UUID.randomUUID().toString().replace("-", "");
    }

    private static HttpStatus statusOf(Runnable call) {
        try {
            call.run();
            return HttpStatus.OK;
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    @Test
    void theSignedWebhookAcceptsOnceAndRefusesForgeriesAndReplays() throws Exception {
        UUID patient = patientWith("HUB-D", "SCALE-D");
        byte[] body = envelope("HUB-D", Instant.now(), weightLb("SCALE-D", 160, now.minus(3, ChronoUnit.MINUTES)))
                .getBytes(StandardCharsets.UTF_8);
        long t = Instant.now().getEpochSecond();
        String n = nonce();

        HttpResponse<Accepted> first = webhook(registry.tenant(), body, t, n);
        assertEquals(HttpStatus.ACCEPTED, first.getStatus());
        assertEquals(1, first.body().readings());
        assertFalse(first.body().duplicate());

        assertEquals(HttpStatus.UNAUTHORIZED, statusOf(() -> webhook(registry.tenant(), body, t, n)), "same nonce: a replay");
        assertEquals(HttpStatus.UNAUTHORIZED, statusOf(() -> webhook(registry.tenant(), body, t - 3600, nonce())), "stale");
        assertEquals(HttpStatus.UNAUTHORIZED, statusOf(() -> http.toBlocking().exchange(HttpRequest.POST(
                "/webhooks/v1/" + registry.tenant() + "/hub", new String(body, StandardCharsets.UTF_8).replace("160", "260"))
                .header(WebhookSignature.HEADER, WebhookSignature.header(secret, "k1", t, nonce(), body)))), "tampered body");
        assertEquals(HttpStatus.UNAUTHORIZED, statusOf(() -> webhook(other.tenant(), body, t, nonce())),
                "this tenant's key does not open another tenant's webhook");

        HttpResponse<Accepted> retry = webhook(registry.tenant(), body, Instant.now().getEpochSecond(), nonce());
        assertEquals(HttpStatus.ACCEPTED, retry.getStatus());
        assertTrue(retry.body().duplicate(), "a vendor retry of the same envelope is a stream duplicate");

        byte[] junk = "{\"hub\":{\"serial\":\"HUB-D\"},\"measurements\":[{\"code\":\"29463-7\",\"value\":\"heavy\"}]}".getBytes(StandardCharsets.UTF_8);
        HttpClientResponseException refused = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> webhook(registry.tenant(), junk, Instant.now().getEpochSecond(), nonce()));
        assertEquals(HttpStatus.UNPROCESSABLE_ENTITY, refused.getStatus());
        assertTrue(refused.getResponse().getBody(String.class).orElse("").contains("/measurements/0/value"));

        Eventually.await(WAIT, () -> readings(patient, "29463-7"), r -> r.size() == 1, "the webhook's weight");
        Thread.sleep(500);
        assertEquals(1, readings(patient, "29463-7").size(), "stored once");
    }

    @Test
    void mqttHubsTakeTheSamePathAndAReadingSentTwiceByMqttAndNatsIsStoredOnce() throws Exception {
        UUID patient = patientWith("HUB-E", "CUFF-E");
        byte[] body = envelope("HUB-E", Instant.now(), bp("CUFF-E", 131, 84, now.minus(7, ChronoUnit.MINUTES)))
                .getBytes(StandardCharsets.UTF_8);
        MqttClient mqtt = new MqttClient("tcp://127.0.0.1:" + StackEnv.get("VIGIL_MQTT_PORT", "11883"), "hub-HUB-E", new MemoryPersistence());
        MqttConnectOptions options = new MqttConnectOptions();
        options.setCleanSession(true);
        mqtt.connect(options);
        try {
            mqtt.publish("vigil/" + registry.tenant() + "/ingest/hub/HUB-E", body, 1, false);
        } finally {
            mqtt.disconnect();
            mqtt.close();
        }
        Eventually.await(WAIT, () -> readings(patient, "85354-9"), r -> r.size() == 2, "the MQTT blood pressure");
        devices.publish("hub", "HUB-E", body, null);
        devices.publish("hub", "HUB-E", envelope("HUB-E", Instant.now(), bp("CUFF-E", 120, 80, now.minus(1, ChronoUnit.MINUTES)))
                .getBytes(StandardCharsets.UTF_8), null);  // a marker after the duplicate
        Eventually.await(WAIT, () -> readings(patient, "85354-9"), r -> r.size() >= 4, "the marker");
        assertEquals(4, readings(patient, "85354-9").size(), "the MQTT reading and its NATS twin are one reading");
    }

    @Test
    void aDeadLetterFlowsWhenReSubmittedAfterTheRegistryIsFixed() throws Exception {
        Instant t = now.minus(30, ChronoUnit.MINUTES);
        byte[] body = envelope("HUB-F", Instant.now(), weightLb("SCALE-F", 199, t)).getBytes(StandardCharsets.UTF_8);
        devices.publish("hub", "HUB-F", body, null);
        DeadLetterView letter = Eventually.await(WAIT, () -> deadLetters("code=UNKNOWN_DEVICE&format=hub"),
                l -> l.stream().anyMatch(d -> d.subject().endsWith(".HUB-F")), "the unknown scale").stream()
                .filter(d -> d.subject().endsWith(".HUB-F")).findFirst().orElseThrow();

        assertEquals(HttpStatus.NOT_FOUND, statusOf(() -> http.toBlocking().exchange(HttpRequest.POST(
                "/api/v1/dead-letters/" + letter.id() + "/resubmit", "").bearerAuth(token(other.tenant())))),
                "another tenant cannot see, let alone re-submit, it");

        UUID patient = patientWith("HUB-F", "SCALE-F");
        HttpResponse<Resubmitted> again = http.toBlocking().exchange(HttpRequest.POST(
                "/api/v1/dead-letters/" + letter.id() + "/resubmit", "").bearerAuth(token(registry.tenant())), Resubmitted.class);
        assertEquals(HttpStatus.ACCEPTED, again.getStatus());
        assertEquals(199 * 0.45359237, Eventually.await(WAIT, () -> readings(patient, "29463-7"), r -> r.size() == 1,
                "the re-submitted weight").get(0).value(), 1e-6);

        http.toBlocking().exchange(HttpRequest.POST("/api/v1/dead-letters/" + letter.id() + "/resubmit", "")
                .bearerAuth(token(registry.tenant())), Resubmitted.class);
        DeadLetterView marked = Eventually.await(WAIT, () -> deadLetters("format=hub").stream()
                .filter(d -> d.id().equals(letter.id())).findFirst().orElseThrow(), d -> d.resubmissions() == 2, "two re-submissions");
        assertNotNull(marked.resubmittedAt());
        Thread.sleep(1000);
        assertEquals(1, readings(patient, "29463-7").size(), "re-submitting twice stores once");
    }

    @Test
    void aTenantCannotPublishIntoAnotherTenantsDevices() throws Exception {
        UUID patient = patientWith("HUB-G", "SCALE-G");
        // Tenant 'other' uses this tenant's device serial on its own subject: it resolves in 'other' only, where
        // no such device exists.
        try (Devices intruder = new Devices(other.tenant())) {
            intruder.publish("hub", "HUB-G", envelope("HUB-G", Instant.now(), weightLb("SCALE-G", 140, now.minus(2, ChronoUnit.MINUTES)))
                    .getBytes(StandardCharsets.UTF_8), null);
        }
        Eventually.await(WAIT, () -> http.toBlocking().retrieve(get("/api/v1/dead-letters?code=UNKNOWN_DEVICE", other.tenant()),
                DeadLetterPage.class).items(), l -> !l.isEmpty(), "the intruder's dead letter");
        assertTrue(readings(patient, "29463-7").isEmpty(), "nothing crossed into this tenant");
    }
}
