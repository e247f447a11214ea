package org.vigil.app;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.vigil.core.WebhookSignature;

import java.net.InetSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The backend is SIGKILLed in the middle of a heart-failure weight window and started again. The window is rebuilt,
 * so the weight gain that completes it after the restart opens its alert (not missed); what was committed before the
 * kill (an open blood-pressure alert, its event and its page) is neither opened nor sent again (not repeated), and a
 * repeat of that breach counts on the same alert. Done twice in one run: killed before the window was snapshotted
 * (the first process snapshots only once an hour, so the window, and the breach with it, must be re-read from the
 * stream with judging off up to the committed position), then killed after it was (the second process snapshots
 * every batch). The effects are counted in PostgreSQL and at the webhook receiver, whichever process wrote them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AlertRestartIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    /** A first process may have to re-read what earlier tests published since the last window snapshot. */
    private static final Duration CATCH_UP = Duration.ofSeconds(60);
    private static final byte[] SECRET = "an-outbound-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);
    private static final String WEIGHT = "29463-7";
    private static final String SYSTOLIC = "8480-6";

    private final ConcurrentLinkedQueue<String> hooks = new ConcurrentLinkedQueue<>();
    private HttpServer receiver;
    private Registry registry;
    private Devices devices;
    private UUID hal;
    private UUID bea;
    private UUID ned;
    private Path log;

    @BeforeAll
    void fleet() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String why = WebhookSignature.parse(ex.getRequestHeaders().getFirst(WebhookSignature.HEADER))
                    .check(SECRET, body, Instant.now(), Duration.ofMinutes(5));
            hooks.add(why == null ? new String(body, StandardCharsets.UTF_8) : "BAD SIGNATURE: " + why);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        receiver.start();
        registry = Registry.newTenant("restart");
        registry.outboundWebhookKey("restart-1", SECRET);
        hal = registry.patient("Hal Heart");
        registry.assign(registry.device("blood-pressure-cuff", "RST-CUFF-H"), hal, null, null);
        registry.assign(registry.device("scale", "RST-SCALE-H"), hal, null, null);
        bea = registry.patient("Bea Beat");
        registry.assign(registry.device("scale", "RST-SCALE-B"), bea, null, null);
        ned = registry.patient("Ned Normal");
        registry.assign(registry.device("blood-pressure-cuff", "RST-CUFF-N"), ned, null, null);
        devices = new Devices(registry.tenant());
        log = Files.createTempFile("vigil-restart-backend-", ".log");
    }

    @AfterAll
    void close() throws Exception {
        devices.close();
        registry.close();
        receiver.stop(0);
    }

    @Test
    void aBackendKilledMidWindowNeitherMissesNorRepeatsAnAlert() throws Exception {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        UUID pressureAlert;
        long pressureDeliveries;
        // An hour between window snapshots: the window that holds the first weight is in no snapshot at the kill.
        try (BackendProcess first = BackendProcess.start(log, "vigil.alerting.snapshot-every=1h")) {
            configure(first);
            // A process snapshots its first batch (this normal reading, or something before it that the stream
            // still held for the evaluator), and then not for an hour: what follows is in no snapshot.
            EvaluatorPosition.awaitEffects(devices.bloodPressure("RST-CUFF-H", 128, 82, now.minus(40, ChronoUnit.MINUTES)).getSeqno(), CATCH_UP);
            long breach = devices.bloodPressure("RST-CUFF-H", 186, 95, now.minus(30, ChronoUnit.MINUTES)).getSeqno();
            pressureAlert = Eventually.await(WAIT, () -> alertIds(hal, SYSTOLIC), a -> a.size() == 1, "the blood-pressure alert").get(0);
            Eventually.await(WAIT, () -> registry.count("SELECT count(*) FROM alert_deliveries WHERE alert_id = ? AND status <> 'delivered'",
                    pressureAlert), n -> n == 0, "the alert's event and page delivered before the kill");
            pressureDeliveries = deliveries(pressureAlert);
            assertEquals(1, hooksAbout(pressureAlert), "the care manager's webhook: " + hooks);

            long firstWeight = devices.weight("RST-SCALE-H", 80.0, now.minus(2, ChronoUnit.HOURS)).getSeqno();
            EvaluatorPosition at = EvaluatorPosition.awaitEffects(firstWeight, WAIT);
            assertTrue(at.memorySeq() < breach, "neither the breach nor the first weight may be in a snapshot at the kill, or"
                    + " the re-read from the stream is not what is tested: " + at + ", breach at " + breach);
            first.kill();
        }

        // Windows are written every batch from here on, so the second kill lands after the snapshot.
        try (BackendProcess second = BackendProcess.start(log, "vigil.alerting.snapshot-every=1ms")) {
            // 1.5 kg is 3.3 lb within the day: over the 2 lb limit only together with the weight from before the kill.
            long secondWeight = devices.weight("RST-SCALE-H", 81.5, now.minus(1, ChronoUnit.HOURS)).getSeqno();
            List<UUID> gain = Eventually.await(CATCH_UP, () -> alertIds(hal, WEIGHT), a -> !a.isEmpty(), "the weight-gain alert after the restart");
            EvaluatorPosition.awaitEffects(secondWeight, WAIT);
            assertEquals(1, alertIds(hal, WEIGHT).size(), "one weight-gain alert");
            assertEquals(1, opened(gain.get(0)));
            Eventually.await(WAIT, () -> hooksAbout(gain.get(0)), n -> n == 1, "the weight-gain page (warnings notify the care manager)");
            assertUnrepeated(pressureAlert, pressureDeliveries, 1, "after the first restart");

            long repeat = devices.bloodPressure("RST-CUFF-H", 188, 96, now.minus(20, ChronoUnit.MINUTES)).getSeqno();
            EvaluatorPosition.awaitEffects(repeat, WAIT);
            assertEquals(List.of(pressureAlert), alertIds(hal, SYSTOLIC), "the repeated breach updates the alert opened before the kill");
            assertUnrepeated(pressureAlert, pressureDeliveries + 1, 2, "a repeat adds an 'updated' event and pages nobody");

            long beaFirst = devices.weight("RST-SCALE-B", 70.0, now.minus(2, ChronoUnit.HOURS)).getSeqno();
            EvaluatorPosition snapshotted = Eventually.await(WAIT, EvaluatorPosition::read, p -> p.memorySeq() >= beaFirst,
                    "the window with Bea's first weight snapshotted");
            assertTrue(snapshotted.effectsSeq() >= beaFirst, snapshotted.toString());
            second.kill();
        }

        try (BackendProcess third = BackendProcess.start(log, "vigil.alerting.snapshot-every=2s")) {
            long beaSecond = devices.weight("RST-SCALE-B", 71.5, now.minus(1, ChronoUnit.HOURS)).getSeqno();
            Eventually.await(WAIT, () -> alertIds(bea, WEIGHT), a -> !a.isEmpty(), "Bea's weight-gain alert after the second restart");
            EvaluatorPosition.awaitEffects(beaSecond, WAIT);
            assertEquals(1, alertIds(bea, WEIGHT).size(), "one weight-gain alert for Bea");
            assertEquals(2, registry.count("SELECT count(*) FROM alerts WHERE patient_id = ?", hal), "Hal's alerts, unchanged");
            assertEquals(1, opened(alertIds(hal, WEIGHT).get(0)), "Hal's weight-gain alert is not opened again");
            assertUnrepeated(pressureAlert, pressureDeliveries + 1, 2, "after the second restart");

            // A reading right after a snapshot waits for the next one; with no reading after it, the stream is idle,
            // and the snapshot must still come, or the next restart re-reads everything since.
            EvaluatorPosition.awaitEffects(devices.bloodPressure("RST-CUFF-N", 124, 78, now.minus(9, ChronoUnit.MINUTES)).getSeqno(), WAIT);
            long last = devices.bloodPressure("RST-CUFF-N", 122, 76, now.minus(8, ChronoUnit.MINUTES)).getSeqno();
            EvaluatorPosition.awaitEffects(last, WAIT);
            Eventually.await(WAIT, EvaluatorPosition::read, p -> p.memorySeq() >= last, "the windows snapshotted while the stream is idle");
            assertEquals(0, registry.count("SELECT count(*) FROM alerts WHERE patient_id = ?", ned), "normal readings");
            assertTrue(third.stop(Duration.ofSeconds(30)), "the backend shuts down within 30 s of SIGTERM; see " + log);
        }
        assertTrue(hooks.stream().noneMatch(h -> h.startsWith("BAD SIGNATURE")), hooks.toString());
    }

    /** The blood-pressure alert from before the first kill: one row, opened once, paged once, with this count. */
    private void assertUnrepeated(UUID alert, long deliveries, int count, String when) throws Exception {
        assertEquals(1, registry.count("SELECT count(*) FROM alerts WHERE patient_id = ? AND code = ?", hal, SYSTOLIC),
                "one blood-pressure alert " + when);
        assertEquals(1, opened(alert), "opened once " + when);
        assertEquals(deliveries, deliveries(alert), "its deliveries " + when + ": " + registry.rows(
                "SELECT channel, event, status, attempts FROM alert_deliveries WHERE alert_id = ?", alert));
        assertEquals(1, hooksAbout(alert), "paged once " + when);
        assertEquals(count, ((Number) registry.rows("SELECT count FROM alerts WHERE alert_id = ?", alert).get(0).get(0)).intValue(),
                "breaches counted on the alert " + when);
    }

    private void configure(BackendProcess backend) throws Exception {
        String config = """
                programs:
                  heart-failure:
                    thresholds:
                      - { code: 8480-6, high: 160, criticalHigh: 180 }
                    trends:
                      - { kind: rise, code: 29463-7, by: 2, unit: "[lb_av]", within: 1d }
                    suppression: { persistReadings: 1, hysteresisPercent: 2, resolveAfter: 1h, cooldown: 12h }
                defaultPrograms: [ heart-failure ]
                escalation:
                  - { role: care-manager, after: 0m }
                contacts:
                  care-manager: { webhook: [ "http://127.0.0.1:%d/hook" ] }
                warningsNotify: [ care-manager ]
                """.formatted(receiver.getAddress().getPort());
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(backend.uri("/api/v1/alert-config"))
                .header("Authorization", "Bearer " + backend.token(registry.tenant())).header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(config)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
    }

    private List<UUID> alertIds(UUID patient, String code) {
        try {
            return registry.rows("SELECT alert_id FROM alerts WHERE patient_id = ? AND code = ? ORDER BY opened_at", patient, code)
                    .stream().map(r -> (UUID) r.get(0)).toList();
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private long opened(UUID alert) {
        return registry.count("SELECT count(*) FROM alert_transitions WHERE alert_id = ? AND action = 'opened'", alert);
    }

    private long deliveries(UUID alert) {
        return registry.count("SELECT count(*) FROM alert_deliveries WHERE alert_id = ?", alert);
    }

    private long hooksAbout(UUID alert) {
        return hooks.stream().filter(h -> h.contains(alert.toString())).count();
    }
}
