package org.vigil.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.alerting.Alerts;

import java.net.ServerSocket;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The escalation ladder against a clock the test moves: an unacknowledged critical alert pages the physician at
 * the 30-minute deadline and not before; an acknowledged one stops climbing. The physician's webhook points at a
 * server that accepts connections and never answers: it must not hold up anyone's e-mail or the dashboard events.
 */
@MicronautTest
class EscalationIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    private final GreenMail smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private final ServerSocket blackHole = new ServerSocket(0);

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    ManualClock clock;

    private Registry registry;
    private Devices devices;

    EscalationIT() throws Exception {
        smtp.start();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("vigil.test.clock", "manual");
        p.put("vigil.alerting.tick-every", "200ms");
        p.put("vigil.alerting.delivery.smtp-host", "127.0.0.1");
        p.put("vigil.alerting.delivery.smtp-port", String.valueOf(smtp.getSmtp().getPort()));
        p.put("vigil.alerting.delivery.read-timeout", "2s");
        return p;
    }

    @BeforeAll
    void tenant() throws Exception {
        registry = Registry.newTenant("escalate");
        registry.outboundWebhookKey("k1", "an-outbound-secret-of-at-least-32-bytes".getBytes());
        devices = new Devices(registry.tenant());
        String config = """
                programs:
                  htn:
                    thresholds: [ { code: 8480-6, high: 160, criticalHigh: 180 } ]
                defaultPrograms: [ htn ]
                escalation:
                  - { role: care-manager, after: 0m }
                  - { role: physician, after: 30m }
                contacts:
                  care-manager: { email: [cm@clinic.example] }
                  physician: { email: [dr@clinic.example], webhook: [ "http://127.0.0.1:%d/never-answers" ] }
                """.formatted(blackHole.getLocalPort());
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", config).contentType("application/yaml")
                .bearerAuth(token(registry.tenant())));
    }

    @AfterAll
    void close() throws Exception {
        devices.close();
        registry.close();
        smtp.stop();
        blackHole.close();
    }

    private UUID criticalAlert(String name, String cuff) throws Exception {
        UUID patient = registry.patient(name);
        registry.assign(registry.device("blood-pressure-cuff", cuff), patient, null, null);
        devices.bloodPressure(cuff, 195, 100, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return Eventually.await(WAIT, () -> http.toBlocking().retrieve(get("/api/v1/alerts?patient=" + patient, registry.tenant()),
                Argument.listOf(Alerts.AlertView.class)), a -> !a.isEmpty(), "the alert").get(0).alertId();
    }

    private Alerts.Detail detail(UUID alert) {
        return http.toBlocking().retrieve(get("/api/v1/alerts/" + alert, registry.tenant()), Alerts.Detail.class);
    }

    private long mailsTo(String address, UUID alert) {
        return Arrays.stream(smtp.getReceivedMessages()).filter(m -> {
            try {
                return m.getAllRecipients()[0].toString().equals(address) && m.getContent().toString().contains(alert.toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).count();
    }

    @Test
    void anUnacknowledgedCriticalAlertClimbsAtItsDeadlineAndAnAcknowledgedOneDoesNot() throws Exception {
        UUID ignored = criticalAlert("Ike Ignored", "CUFF-1");
        UUID seen = criticalAlert("Sue Seen", "CUFF-2");
        Eventually.await(WAIT, () -> mailsTo("cm@clinic.example", ignored) + mailsTo("cm@clinic.example", seen), n -> n == 2,
                "the care manager's pages");
        http.toBlocking().exchange(HttpRequest.POST("/api/v1/alerts/" + seen + "/acknowledge", Map.of()).bearerAuth(token(registry.tenant())));

        clock.advance(Duration.ofMinutes(29));
        Thread.sleep(1_000);
        assertEquals(1, detail(ignored).alert().escalationLevel(), "not yet: the deadline is at 30 minutes");

        clock.advance(Duration.ofMinutes(1));
        Alerts.Detail d = Eventually.await(WAIT, () -> detail(ignored), x -> x.alert().escalationLevel() == 2, "the physician paged");
        List<String> pages = d.transitions().stream().filter(t -> t.action().equals("paged")).map(Alerts.Transition::reason).toList();
        assertEquals(2, pages.size(), pages.toString());
        assertTrue(pages.get(1).startsWith("physician paged"), pages.toString());
        Eventually.await(WAIT, () -> mailsTo("dr@clinic.example", ignored), n -> n == 1, "the physician's e-mail,"
                + " although the physician's webhook never answers");
        assertEquals(1, detail(seen).alert().escalationLevel(), "acknowledged: it stays with the care manager");
        assertEquals(0, mailsTo("dr@clinic.example", seen));

        // The dead webhook is retried, not dropped, and each attempt is on record.
        Alerts.DeliveryView hook = Eventually.await(WAIT, () -> detail(ignored).deliveries().stream()
                .filter(x -> x.channel().equals("webhook")).findFirst().orElse(null), x -> x != null && x.attempts() >= 1, "a webhook attempt");
        assertEquals("pending", hook.status());
        assertTrue(hook.lastError() != null && !hook.lastError().isBlank(), hook.toString());

        // Meanwhile a new alert is delivered as fast as ever.
        UUID later = criticalAlert("Lou Later", "CUFF-3");
        Eventually.await(WAIT, () -> mailsTo("cm@clinic.example", later), n -> n == 1, "a new page while the webhook hangs");
    }
}
