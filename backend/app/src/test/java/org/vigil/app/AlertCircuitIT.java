package org.vigil.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Nats;
import jakarta.inject.Inject;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.alerting.Alerts;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert circuit end to end on the real stack: a breaching reading on NATS becomes an alert row, an event on the
 * tenant's alert subject, an e-mail (to a real SMTP server in this process) and a signed webhook; repeats update
 * one alert; people's actions are recorded.
 */
@MicronautTest
class AlertCircuitIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private final SignedWebhookReceiver receiver;
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    @Inject
    @Client("/")
    HttpClient http;

    private Registry registry;
    private Devices devices;
    private Connection nats;
    private UUID critical;
    private UUID repeated;
    private UUID handled;
    private UUID isolated;

    AlertCircuitIT() throws Exception {
        smtp.start();
        receiver = new SignedWebhookReceiver();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("vigil.alerting.delivery.smtp-host", "127.0.0.1");
        p.put("vigil.alerting.delivery.smtp-port", String.valueOf(smtp.getSmtp().getPort()));
        return p;
    }

    @BeforeAll
    void fleet() throws Exception {
        registry = Registry.newTenant("alerts");
        registry.outboundWebhookKey("alerts-1", SignedWebhookReceiver.SECRET);
        critical = patient("Carla Critical", "CUFF-C");
        repeated = patient("Ray Repeat", "CUFF-R");
        handled = patient("Hana Handled", "CUFF-H");
        isolated = patient("Iris Isolated", "CUFF-I");
        devices = new Devices(registry.tenant());
        nats = Nats.connect(StackEnv.natsUrl());
        Dispatcher d = nats.createDispatcher(m -> events.add(new String(m.getData(), StandardCharsets.UTF_8)));
        d.subscribe("vigil." + registry.tenant() + ".alerts.>");
        String config = """
                programs:
                  htn:
                    thresholds:
                      - { code: 8480-6, low: 90, high: 160, criticalHigh: 180 }
                      - { code: 8462-4, high: 100, criticalHigh: 120 }
                    suppression: { persistReadings: 1, hysteresisPercent: 3, resolveAfter: 1h, cooldown: 4h }
                defaultPrograms: [ htn ]
                escalation:
                  - { role: care-manager, after: 0m }
                  - { role: physician, after: 30m }
                contacts:
                  care-manager: { email: [cm@clinic.example], webhook: [ "%s" ] }
                  physician: { email: [dr@clinic.example] }
                """.formatted(receiver.url());
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", config).contentType("application/yaml")
                .bearerAuth(token(registry.tenant())));
    }

    private UUID patient(String name, String cuff) throws Exception {
        UUID p = registry.patient(name);
        registry.assign(registry.device("blood-pressure-cuff", cuff), p, null, null);
        return p;
    }

    @AfterAll
    void close() throws Exception {
        nats.close();
        devices.close();
        registry.close();
        smtp.stop();
        receiver.close();
    }

    private List<Alerts.AlertView> alerts(UUID patient) {
        return http.toBlocking().retrieve(get("/api/v1/alerts?patient=" + patient, registry.tenant()),
                Argument.listOf(Alerts.AlertView.class));
    }

    private Alerts.Detail detail(UUID alert) {
        return http.toBlocking().retrieve(get("/api/v1/alerts/" + alert, registry.tenant()), Alerts.Detail.class);
    }

    @Test
    void aCriticalBreachIsAnAlertAnEventAnEmailAndASignedWebhook() throws Exception {
        devices.bloodPressure("CUFF-C", 192, 95, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<Alerts.AlertView> open = Eventually.await(WAIT, () -> alerts(critical), a -> !a.isEmpty(), "the alert");
        assertEquals(1, open.size(), open.toString());
        Alerts.AlertView a = open.get(0);
        assertEquals("critical", a.severity());
        assertEquals("band:8480-6/high", a.key());
        assertEquals(192.0, a.lastValue());
        assertEquals(180.0, a.limit());
        assertTrue(a.summary().contains("above the critical limit 180"), a.summary());

        Eventually.await(WAIT, () -> events.stream().filter(e -> e.contains(a.alertId().toString())).toList(),
                e -> e.stream().anyMatch(x -> x.contains("\"event\":\"opened\"")), "the opened event on NATS");
        MimeMessage mail = Eventually.await(WAIT, () -> mailAbout(a.alertId()), m -> m != null, "the e-mail");
        assertEquals("cm@clinic.example", mail.getAllRecipients()[0].toString());
        String mailBody = mail.getContent().toString();
        assertTrue(!mailBody.contains("Carla") && !mailBody.contains("192"), "no PHI in e-mail: " + mailBody);
        String hook = Eventually.await(WAIT, () -> receiver.received().stream().filter(h -> h.contains(a.alertId().toString())).findFirst().orElse(null),
                h -> h != null, "the webhook");
        assertTrue(hook.contains("\"severity\":\"critical\""), hook);

        Alerts.Detail d = Eventually.await(WAIT, () -> detail(a.alertId()),
                x -> x.deliveries().stream().allMatch(del -> del.status().equals("delivered")), "every delivery recorded as delivered");
        assertEquals(List.of("opened", "paged"), d.transitions().stream().map(Alerts.Transition::action).toList());
        assertEquals(3, d.deliveries().size(), "NATS event, e-mail, webhook: " + d.deliveries());
        assertTrue(d.deliveries().stream().allMatch(del -> del.attemptLog().size() == 1), d.deliveries().toString());
        assertEquals(1, d.alert().escalationLevel(), "the care manager is paged; the physician is next");
        assertTrue(d.alert().nextEscalationAt() != null);
    }

    private MimeMessage mailAbout(UUID alert) {
        try {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getContent().toString().contains(alert.toString())) {
                    return m;
                }
            }
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aHundredRepeatedBreachesAreOneAlertWithCountAHundred() throws Exception {
        Instant start = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < 100; i++) {
            devices.bloodPressure("CUFF-R", 165, 92, start.plusSeconds(60L * i));
        }
        List<Alerts.AlertView> open = Eventually.await(WAIT, () -> alerts(repeated),
                a -> a.size() == 1 && a.get(0).count() == 100, "one alert counting 100 breaches");
        assertEquals("warning", open.get(0).severity());
        assertEquals(1, detail(open.get(0).alertId()).transitions().stream().filter(t -> t.action().equals("opened")).count());
    }

    @Test
    void peoplesActionsAreRecordedWithWhoAndWhy() throws Exception {
        devices.bloodPressure("CUFF-H", 170, 90, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        UUID id = Eventually.await(WAIT, () -> alerts(handled), a -> !a.isEmpty(), "the alert").get(0).alertId();
        String t = token(registry.tenant());
        http.toBlocking().exchange(HttpRequest.POST("/api/v1/alerts/" + id + "/acknowledge", Map.of("note", "calling the patient")).bearerAuth(t));
        http.toBlocking().exchange(HttpRequest.POST("/api/v1/alerts/" + id + "/assign", Map.of("assignee", "nurse.joy")).bearerAuth(t));
        http.toBlocking().exchange(HttpRequest.POST("/api/v1/alerts/" + id + "/resolve", Map.of("note", "cuff was too small")).bearerAuth(t));
        Alerts.Detail d = detail(id);
        assertEquals("resolved", d.alert().status());
        assertEquals("nurse.joy", d.alert().assignee());
        assertEquals(List.of("opened", "acknowledged", "assigned", "resolved"),
                d.transitions().stream().map(Alerts.Transition::action).toList());
        Alerts.Transition resolved = d.transitions().get(3);
        assertEquals("care-manager@" + registry.tenant(), resolved.actor());
        assertEquals("cuff was too small", resolved.reason());
        HttpClientResponseException noNote = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/alerts/" + id + "/resolve", Map.of()).bearerAuth(t)));
        assertEquals(400, noNote.getStatus().getCode());
    }

    @Test
    void anInvalidConfigurationIsRefusedWithTheLineAtFault() {
        HttpClientResponseException e = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", "programs:\n  htn:\n    thresholds:\n"
                        + "      - { code: 8480-6, low: 160, high: 90 }\n").contentType(MediaType.of("application/yaml"))
                        .bearerAuth(token(registry.tenant()))));
        assertEquals(422, e.getStatus().getCode());
        String body = e.getResponse().getBody(String.class).orElse("");
        assertTrue(body.contains("\"line\":4") && body.contains("thresholds[0].high"), body);
    }

    @Test
    void theDemoTenantsConfigurationFileIsValidAndABrokenOneIsReportedLineByLine() throws Exception {
        String demo = java.nio.file.Files.readString(java.nio.file.Path.of("../../tenants/demo/alert-config.yaml"));
        String ok = http.toBlocking().retrieve(HttpRequest.POST("/api/v1/alert-config/check", demo)
                .contentType(MediaType.of("application/yaml")).bearerAuth(token(registry.tenant())));
        assertTrue(ok.startsWith("valid"), ok);
        HttpClientResponseException e = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.POST("/api/v1/alert-config/check",
                        demo.replace("silentAfter: 12h", "silentAfter: 2m")).contentType(MediaType.of("application/yaml"))
                        .bearerAuth(token(registry.tenant())), String.class));
        assertEquals(422, e.getStatus().getCode());
        String body = e.getResponse().getBody(String.class).orElse("");
        assertTrue(body.matches("(?s)line \\d+: devices.silentAfter: .*between 15 minutes and 30 days.*"), body);
    }

    @Test
    void anotherTenantSeesNoneOfTheseAlerts() throws Exception {
        devices.bloodPressure("CUFF-I", 185, 90, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        UUID id = Eventually.await(WAIT, () -> alerts(isolated), a -> !a.isEmpty(), "the alert").get(0).alertId();
        try (Registry other = Registry.newTenant("other")) {
            HttpClientResponseException e = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                    () -> http.toBlocking().retrieve(get("/api/v1/alerts/" + id, other.tenant()), Alerts.Detail.class));
            assertEquals(404, e.getStatus().getCode());
            assertEquals(List.of(), http.toBlocking().retrieve(get("/api/v1/alerts?patient=" + isolated, other.tenant()),
                    Argument.listOf(Alerts.AlertView.class)));
        }
    }
}
