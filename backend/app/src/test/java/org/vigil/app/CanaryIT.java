package org.vigil.app;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.alerting.Alerts;
import org.vigil.alerting.CircuitStatus;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alert canary of a tenant: its synthetic reading comes out as an alert nobody sees or is paged for; when the
 * path breaks (here its device is unassigned, so its readings become dead letters) a platform alarm is raised and
 * shown to operators, and it clears once readings come out again.
 */
@MicronautTest
class CanaryIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    @Client("/")
    HttpClient http;

    private Registry registry;
    private Registry other;

    @BeforeAll
    void tenants() throws Exception {
        registry = Registry.newTenant("canary");
        other = Registry.newTenant("canary-other");
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("vigil.alerting.canary.enabled", "true");
        p.put("vigil.alerting.canary.every", "2s");
        p.put("vigil.alerting.canary.deadline", "3s");
        p.put("vigil.alerting.canary.check-every", "300ms");
        // The path is broken below by ending the device's assignment; the device cache must notice within the test.
        p.put("vigil.registry.device-cache-ttl", "1s");
        return p;
    }

    @AfterAll
    void close() throws Exception {
        registry.close();
        other.close();
    }

    private CircuitStatus.View circuit(String tenant) {
        return http.toBlocking().retrieve(get("/api/v1/alert-circuit", tenant), CircuitStatus.View.class);
    }

    private String canaryStatus(String tenant) {
        CircuitStatus.View v = circuit(tenant);
        return v.canary() == null ? "none" : v.canary().status();
    }

    @Test
    void theCanaryComesOutUnseenAndALatePathRaisesAPlatformAlarmUntilItIsOutAgain() throws Exception {
        String tenant = registry.tenant();
        CircuitStatus.Canary ok = Eventually.await(WAIT, () -> circuit(tenant).canary(), c -> c != null && c.status().equals("ok"),
                "the canary's first reading out as an alert");
        assertNotNull(ok.latencyMs());
        assertTrue(ok.latencyMs() < 3_000, "published → committed " + ok.latencyMs() + " ms");
        System.out.printf("canary: published → committed in %d ms%n", ok.latencyMs());

        // Nobody sees it or is paged for it.
        assertEquals(List.of(), http.toBlocking().retrieve(get("/api/v1/alerts", tenant), Argument.listOf(Alerts.AlertView.class)));
        assertEquals(0, registry.count("SELECT count(*) FROM alert_deliveries WHERE tenant_id = ?", tenant),
                "no delivery of any kind for the canary");
        assertEquals(1, registry.count("SELECT count(*) FROM alerts WHERE tenant_id = ? AND canary AND status = 'open'", tenant),
                "one open canary alert");
        List<org.vigil.registry.DeviceView> fleet = http.toBlocking().retrieve(get("/api/v1/devices", tenant),
                Argument.listOf(org.vigil.registry.DeviceView.class));
        assertTrue(fleet.stream().noneMatch(d -> d.serial() != null && d.serial().startsWith("VIGIL-CANARY")), fleet.toString());

        // The path breaks: the canary's device is unassigned, so its readings go to dead letters, not to the circuit.
        assertEquals(1, registry.exec("UPDATE device_assignments SET valid = tstzrange(lower(valid), now()) "
                + "WHERE device_id = (SELECT device_id FROM canaries)"));
        Eventually.await(WAIT, () -> canaryStatus(tenant), "late"::equals, "the canary late");
        CircuitStatus.Alarm alarm = circuit(tenant).alarms().get(0);
        assertEquals("alert-canary-late", alarm.kind());
        assertEquals(null, alarm.clearedAt());
        assertTrue(alarm.detail().contains("may be delayed or lost"), alarm.detail());
        String admin = token(null, "platform-admin");
        List<CircuitStatus.Alarm> open = http.toBlocking().retrieve(HttpRequest.GET("/api/v1/platform/alarms").bearerAuth(admin),
                Argument.listOf(CircuitStatus.Alarm.class));
        assertTrue(open.stream().anyMatch(a -> a.alarmId().equals(alarm.alarmId())), open.toString());
        HttpClientResponseException denied = org.junit.jupiter.api.Assertions.assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().retrieve(get("/api/v1/platform/alarms", tenant)));
        assertEquals(403, denied.getStatus().getCode(), "a care manager does not see other tenants' alarms");
        assertTrue(circuit(other.tenant()).alarms().stream().noneMatch(a -> a.alarmId().equals(alarm.alarmId())),
                "another tenant does not see this one's alarm");

        // Repaired: the next reading comes out and the alarm clears.
        assertEquals(1, registry.exec("UPDATE device_assignments SET valid = tstzrange(lower(valid), NULL) "
                + "WHERE device_id = (SELECT device_id FROM canaries)"));
        Eventually.await(WAIT, () -> canaryStatus(tenant), "ok"::equals, "the canary out again");
        System.out.printf("canary: out again, published → committed in %d ms%n", circuit(tenant).canary().latencyMs());
        CircuitStatus.Alarm cleared = circuit(tenant).alarms().get(0);
        assertEquals(alarm.alarmId(), cleared.alarmId());
        assertNotNull(cleared.clearedAt(), "the alarm is cleared, and kept on record");
    }
}
