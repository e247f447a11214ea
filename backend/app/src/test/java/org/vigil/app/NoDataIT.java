package org.vigil.app;

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

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * No-data alerts on a clock the test moves: an enrolled patient silent for longer than the program's limit gets a
 * no-data alert at the limit and not before; the next reading resolves it at once (a no-data rule has no range to
 * settle back into, so nothing waits for a resolve-after); silent again, a new alert opens.
 */
@MicronautTest
class NoDataIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final Duration LIMIT = Duration.ofHours(4);

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    ManualClock clock;

    private Registry registry;
    private Devices devices;
    private UUID patient;

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("vigil.test.clock", "manual");
        // Readings are taken at the test clock's time, which runs hours ahead of the stream's receive times: the
        // edge would refuse them as coming from a device with a wrong clock.
        p.put("vigil.normalize.max-future-skew", "12h");
        p.put("vigil.alerting.tick-every", "200ms");
        return p;
    }

    @BeforeAll
    void tenant() throws Exception {
        registry = Registry.newTenant("nodata");
        patient = registry.patient("Sam Silent");
        registry.assign(registry.device("scale", "ND-SCALE"), patient, null, null);
        devices = new Devices(registry.tenant());
        String config = """
                programs:
                  remote:
                    thresholds: [ { code: 29463-7, high: 200 } ]
                    noDataAfter: 4h
                defaultPrograms: [ remote ]
                """;
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", config).contentType("application/yaml")
                .bearerAuth(token(registry.tenant())));
        // No-data watches enrolled patients only: enrolment is when their silence starts to count.
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/patients/" + patient + "/alert-settings", "programs: [ remote ]\n")
                .contentType("application/yaml").bearerAuth(token(registry.tenant())));
    }

    @AfterAll
    void close() throws Exception {
        devices.close();
        registry.close();
    }

    private List<Alerts.AlertView> unresolved() {
        return http.toBlocking().retrieve(get("/api/v1/alerts?patient=" + patient, registry.tenant()),
                Argument.listOf(Alerts.AlertView.class));
    }

    private Alerts.Detail detail(UUID alert) {
        return http.toBlocking().retrieve(get("/api/v1/alerts/" + alert, registry.tenant()), Alerts.Detail.class);
    }

    @Test
    void aSilentPatientGetsANoDataAlertAtTheLimitAndTheNextReadingResolvesIt() throws Exception {
        Instant taken = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        // Moving the clock before the reading is evaluated would count the silence from enrolment instead.
        EvaluatorPosition.awaitEffects(devices.weight("ND-SCALE", 82.0, taken).getSeqno(), WAIT);

        clock.advance(LIMIT.minusMinutes(1));
        Thread.sleep(1_000);  // several evaluator ticks
        assertEquals(List.of(), unresolved(), "not yet: the limit is 4 h");

        clock.advance(Duration.ofMinutes(2));
        Alerts.AlertView silent = Eventually.await(WAIT, this::unresolved, a -> !a.isEmpty(), "the no-data alert").get(0);
        assertEquals("no-data/high", silent.key());
        assertEquals("open", silent.status());
        assertTrue(silent.summary().contains("No reading for 4 h or more: the last one was taken at " + taken), silent.summary());

        Instant back = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        devices.weight("ND-SCALE", 82.4, back);
        Alerts.Detail resolved = Eventually.await(WAIT, () -> detail(silent.alertId()), d -> d.alert().status().equals("resolved"),
                "the no-data alert resolved by the next reading");
        assertEquals(List.of("opened", "resolved"), resolved.transitions().stream().map(Alerts.Transition::action).toList());
        String reason = resolved.transitions().get(1).reason();
        assertTrue(reason.startsWith("Readings arrive again") && reason.contains(back.toString()), reason);
        assertEquals(List.of(), unresolved());

        // Silent again: a new alert, the resolved one stays resolved.
        clock.advance(LIMIT);
        Alerts.AlertView again = Eventually.await(WAIT, this::unresolved, a -> !a.isEmpty(), "a second no-data alert").get(0);
        assertNotEquals(silent.alertId(), again.alertId());
        assertTrue(again.summary().contains("the last one was taken at " + back), again.summary());
        assertEquals("resolved", detail(silent.alertId()).alert().status());
    }
}
