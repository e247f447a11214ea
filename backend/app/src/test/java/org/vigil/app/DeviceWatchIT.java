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

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device watch through the real path, on a clock the test moves: a cellular scale's hub reports a low battery,
 * then goes quiet past the tenant's limit; each is one alert on the patient, and the scale's next upload ends the
 * silent one.
 */
@MicronautTest
class DeviceWatchIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

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
        p.put("vigil.alerting.tick-every", "200ms");
        return p;
    }

    @BeforeAll
    void tenant() throws Exception {
        registry = Registry.newTenant("devwatch");
        devices = new Devices(registry.tenant());
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", """
                programs:
                  general:
                    thresholds: [ { code: 8480-6, criticalHigh: 180 } ]
                defaultPrograms: [ general ]
                devices: { silentAfter: 1h, batteryBelowPercent: 20 }
                """).contentType("application/yaml").bearerAuth(token(registry.tenant())));
        patient = registry.patient("Wanda Watch");
        registry.assign(registry.device("scale", "HUB-SCALE-1"), patient, clock.instant().minus(Duration.ofDays(1)), null);
    }

    @AfterAll
    void close() throws Exception {
        devices.close();
        registry.close();
    }

    /** Timed by the real clock, as the edge judges readings from the future by it; the evaluator hears it by receipt. */
    private void hub(int battery, double lb) throws Exception {
        Instant t = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        String json = "{\"hub\":{\"serial\":\"HUB-SCALE-1\",\"battery\":" + battery + ",\"signal\":-70},"
                + "\"measurements\":[{\"code\":\"29463-7\",\"value\":" + lb + ",\"unit\":\"lb\",\"time\":\"" + t + "\"}]}";
        devices.publish("hub", "HUB-SCALE-1", json.getBytes(StandardCharsets.UTF_8), "hub-" + t + "-" + battery);
    }

    private List<Alerts.AlertView> alerts(String status) {
        return http.toBlocking().retrieve(get("/api/v1/alerts?patient=" + patient + (status == null ? "" : "&status=" + status),
                registry.tenant()), Argument.listOf(Alerts.AlertView.class));
    }

    private Alerts.AlertView one(String status, String keyPrefix) {
        return Eventually.await(WAIT, () -> alerts(status).stream().filter(a -> a.key().startsWith(keyPrefix)).toList(),
                l -> l.size() == 1, keyPrefix + " " + (status == null ? "unresolved" : status)).get(0);
    }

    @Test
    void aLowBatteryAndASilentScaleAreOneAlertEachAndTheNextUploadEndsTheSilence() throws Exception {
        hub(12, 180.4);
        Alerts.AlertView battery = one(null, "battery-low:");
        assertEquals("warning", battery.severity());
        assertEquals("devices", battery.program());
        assertTrue(battery.summary().contains("battery at 12 %"), battery.summary());

        clock.advance(Duration.ofMinutes(59));
        Thread.sleep(1_000);
        assertTrue(alerts(null).stream().noneMatch(a -> a.key().startsWith("device-silent:")), "not silent yet at 59 minutes");

        clock.advance(Duration.ofMinutes(2));
        Alerts.AlertView silent = one(null, "device-silent:");
        assertTrue(silent.summary().startsWith("Scale HUB-SCALE-1 has sent nothing for 1 h"), silent.summary());
        clock.advance(Duration.ofMinutes(30));
        Thread.sleep(1_000);
        assertEquals(1, alerts(null).stream().filter(a -> a.key().startsWith("device-silent:")).count(), "one alert, not one per scan");

        hub(80, 180.2);
        one("resolved", "device-silent:");
        one("resolved", "battery-low:");
        assertEquals(List.of(), alerts(null), "nothing left open");
    }
}
