package org.vigil.app;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
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
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A broken SMTP server holds up only e-mail that cannot be delivered: the dashboard's events and the webhooks of
 * every alert, and other e-mail, arrive while it hangs or refuses; the e-mails it cannot take are retried, every
 * attempt on record with what the server did, and delivered once it works again (or given up when it refuses for
 * good). The platform has one SMTP server, so a fault confined to one role is a server stuck on that role's
 * mailbox ({@link FaultySmtp} in front of GreenMail); a fault of the whole server fails every e-mail alike.
 */
@MicronautTest
class DeliveryFailureIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** Short, but long enough that what must get through while an attempt hangs is seen to do so. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(5);

    private final GreenMail mailbox = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
    private final FaultySmtp smtp;
    private final SignedWebhookReceiver receiver;
    private final ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();

    @Inject
    @Client("/")
    HttpClient http;

    private Registry stuck;
    private Registry fine;
    private Devices stuckDevices;
    private Devices fineDevices;
    private Connection nats;

    DeliveryFailureIT() throws Exception {
        mailbox.start();
        smtp = new FaultySmtp(mailbox.getSmtp().getPort());
        receiver = new SignedWebhookReceiver();
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("vigil.alerting.delivery.smtp-host", "127.0.0.1");
        p.put("vigil.alerting.delivery.smtp-port", String.valueOf(smtp.port()));
        p.put("vigil.alerting.delivery.read-timeout", READ_TIMEOUT.toMillis() + "ms");
        p.put("vigil.alerting.delivery.first-retry", "300ms");
        p.put("vigil.alerting.delivery.max-retry", "1s");
        return p;
    }

    @BeforeAll
    void tenants() throws Exception {
        stuck = tenant("stuck", "desk@stuck.example");
        fine = tenant("fine", "cm@fine.example");
        stuckDevices = new Devices(stuck.tenant());
        fineDevices = new Devices(fine.tenant());
        nats = Nats.connect(StackEnv.natsUrl());
        Dispatcher d = nats.createDispatcher(m -> events.add(new String(m.getData(), StandardCharsets.UTF_8)));
        d.subscribe("vigil." + stuck.tenant() + ".alerts.>");
        d.subscribe("vigil." + fine.tenant() + ".alerts.>");
    }

    /** A tenant whose care manager is paged by e-mail and webhook for every critical blood pressure. */
    private Registry tenant(String prefix, String email) throws Exception {
        Registry r = Registry.newTenant(prefix);
        r.outboundWebhookKey(prefix + "-1", SignedWebhookReceiver.SECRET);
        String config = """
                programs:
                  htn:
                    thresholds: [ { code: 8480-6, high: 160, criticalHigh: 180 } ]
                defaultPrograms: [ htn ]
                escalation:
                  - { role: care-manager, after: 0m }
                contacts:
                  care-manager: { email: [ "%s" ], webhook: [ "%s" ] }
                """.formatted(email, receiver.url());
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", config).contentType("application/yaml")
                .bearerAuth(token(r.tenant())));
        return r;
    }

    @AfterAll
    void close() throws Exception {
        nats.close();
        stuckDevices.close();
        fineDevices.close();
        stuck.close();
        fine.close();
        smtp.close();
        mailbox.stop();
        receiver.close();
    }

    /** Publishes a critical blood pressure for a new patient and returns the alert it opens. */
    private UUID criticalAlert(Registry tenant, Devices devices, String cuff) throws Exception {
        UUID patient = tenant.patient("Patient " + cuff);
        tenant.assign(tenant.device("blood-pressure-cuff", cuff), patient, null, null);
        devices.bloodPressure(cuff, 195, 100, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        return Eventually.await(WAIT, () -> http.toBlocking().retrieve(get("/api/v1/alerts?patient=" + patient, tenant.tenant()),
                Argument.listOf(Alerts.AlertView.class)), a -> !a.isEmpty(), "the alert of " + cuff).get(0).alertId();
    }

    private Alerts.Detail detail(Registry tenant, UUID alert) {
        return http.toBlocking().retrieve(get("/api/v1/alerts/" + alert, tenant.tenant()), Alerts.Detail.class);
    }

    private Alerts.DeliveryView delivery(Registry tenant, UUID alert, String channel) {
        return detail(tenant, alert).deliveries().stream().filter(d -> d.channel().equals(channel)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + channel + " delivery for alert " + alert));
    }

    private long mailsTo(String address, UUID alert) {
        return Arrays.stream(mailbox.getReceivedMessages()).filter(m -> about(m, address, alert)).count();
    }

    private static boolean about(MimeMessage m, String address, UUID alert) {
        try {
            return m.getAllRecipients()[0].toString().equals(address) && m.getContent().toString().contains(alert.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The alert's dashboard event and its webhook, both delivered. */
    private void awaitEventAndWebhook(Registry tenant, UUID alert) {
        Eventually.await(WAIT, () -> events.stream().filter(e -> e.contains(alert.toString()) && e.contains("\"event\":\"opened\"")).count(),
                n -> n == 1, "the opened event of " + alert + " on NATS");
        Eventually.await(WAIT, () -> receiver.received().stream().filter(h -> h.contains(alert.toString())).count(), n -> n == 1,
                "the webhook of " + alert);
        Eventually.await(WAIT, () -> detail(tenant, alert).deliveries().stream()
                        .filter(d -> !d.channel().equals("email")).allMatch(d -> d.status().equals("delivered")), ok -> ok,
                "the event and the webhook of " + alert + " recorded as delivered");
    }

    @Test
    void aServerStuckOnOneRolesMailboxHoldsUpNothingElse() throws Exception {
        smtp.hangOnRecipientsAt("stuck.example");
        UUID first = criticalAlert(stuck, stuckDevices, "STUCK-1");
        UUID second = criticalAlert(stuck, stuckDevices, "STUCK-2");
        Eventually.await(WAIT, smtp::hanging, n -> n == 2, "both pages to the stuck mailbox hanging at the server");

        long started = System.nanoTime();
        UUID other = criticalAlert(fine, fineDevices, "FINE-1");
        Eventually.await(WAIT, () -> mailsTo("cm@fine.example", other), n -> n == 1, "the other tenant's e-mail");
        awaitEventAndWebhook(fine, other);
        long tookMs = (System.nanoTime() - started) / 1_000_000;
        // Everything above went through while the stuck pages still waited for their first answer.
        assertEquals(2, smtp.hanging(), "the other tenant's alert was paged in " + tookMs + " ms, before the stuck"
                + " attempts timed out (" + READ_TIMEOUT + "): it did not wait for them");
        System.out.printf("DeliveryFailureIT: other tenant's alert, e-mail, event and webhook in %d ms while two pages hung%n", tookMs);
        awaitEventAndWebhook(stuck, first);
        awaitEventAndWebhook(stuck, second);

        // The stuck pages are retried, each attempt on record with what went wrong.
        Alerts.DeliveryView failing = Eventually.await(WAIT, () -> delivery(stuck, first, "email"), d -> d.attempts() >= 1, "a recorded attempt");
        assertEquals("pending", failing.status(), failing.toString());
        assertTrue(failing.lastError().contains("did not answer within " + READ_TIMEOUT.toMillis() + " ms"), failing.lastError());
        Alerts.AttemptView attempt = failing.attemptLog().get(0);
        assertEquals("failed", attempt.outcome());
        assertTrue(attempt.tookMs() >= READ_TIMEOUT.toMillis() - 100 && attempt.tookMs() < 2 * READ_TIMEOUT.toMillis(),
                "an attempt takes the read timeout, no more: " + attempt);

        // Repaired: the next retry delivers them, and the record shows the failures before.
        smtp.relay();
        for (UUID alert : List.of(first, second)) {
            Alerts.DeliveryView mail = Eventually.await(WAIT, () -> delivery(stuck, alert, "email"), d -> d.status().equals("delivered"),
                    "the page of " + alert + " delivered after the repair");
            List<String> outcomes = mail.attemptLog().stream().map(Alerts.AttemptView::outcome).toList();
            assertEquals("delivered", outcomes.get(outcomes.size() - 1), outcomes.toString());
            assertTrue(outcomes.subList(0, outcomes.size() - 1).stream().allMatch("failed"::equals) && outcomes.size() >= 2, outcomes.toString());
            assertEquals(1, mailsTo("desk@stuck.example", alert), "one e-mail, whatever the attempts");
        }
        assertTrue(receiver.received().stream().noneMatch(h -> h.startsWith("BAD SIGNATURE")), receiver.received().toString());
    }

    @Test
    void aServerThatDefersThenRefusesEverythingDelaysNoEventOrWebhook() throws Exception {
        smtp.answerEverything("421 4.3.2 Service not available, closing transmission channel");
        try {
            UUID alert = criticalAlert(fine, fineDevices, "FINE-2");
            awaitEventAndWebhook(fine, alert);
            Alerts.DeliveryView deferred = Eventually.await(WAIT, () -> delivery(fine, alert, "email"), d -> d.attempts() >= 2,
                    "the deferred e-mail retried");
            assertEquals("pending", deferred.status());
            assertTrue(deferred.lastError().contains("deferred") && deferred.lastError().contains("421"), deferred.lastError());
            assertTrue(deferred.attemptLog().stream().allMatch(a -> a.outcome().equals("failed")), deferred.attemptLog().toString());

            // A refusal is for good: the next attempt gives up, and the delivery is no longer retried.
            smtp.answerEverything("554 5.3.2 No SMTP service here");
            Alerts.DeliveryView refused = Eventually.await(WAIT, () -> delivery(fine, alert, "email"), d -> d.status().equals("failed"),
                    "the e-mail given up");
            Alerts.AttemptView last = refused.attemptLog().get(refused.attemptLog().size() - 1);
            assertEquals("gave-up", last.outcome());
            assertTrue(last.detail().contains("refused") && last.detail().contains("554"), last.detail());
            assertEquals(refused.attempts(), refused.attemptLog().size(), "every attempt on record");
        } finally {
            smtp.relay();
        }
    }
}
