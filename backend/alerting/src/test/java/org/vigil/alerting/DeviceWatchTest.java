package org.vigil.alerting;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.alerting.Suppressor.Change;
import org.vigil.alerting.config.AlertConfigReader;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The device watch: a device silent for longer than the tenant's limit, and a low battery, each with their edges. */
class DeviceWatchTest {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final UUID SCALE = new UUID(0, 7);
    private static final UUID CUFF = new UUID(0, 8);
    private static final PatientRules RULES = AlertConfigReader.read("""
            programs:
              p:
                thresholds: [ { code: 8480-6, criticalHigh: 180 } ]
            defaultPrograms: [ p ]
            devices: { silentAfter: 24h, batteryBelowPercent: 20 }
            """).rulesFor(PatientSettings.NOT_ENROLLED);
    private static final Map<UUID, AssignedDevice> ASSIGNED = Map.of(
            SCALE, new AssignedDevice("scale SC-1", T0.minus(Duration.ofDays(10))),
            CUFF, new AssignedDevice("blood-pressure-cuff BP-1", T0));

    private final PatientMemory memory = new PatientMemory();

    private List<AlertChange> heard(UUID device, Instant at, Double battery) {
        return Evaluator.onDevice(RULES, memory, device, "device SC-1", at, battery, false, true);
    }

    @Test
    void aDeviceSilentForTheLimitGetsOneAlertAndEndsItWhenHeardAgain() {
        heard(SCALE, T0, null);
        assertEquals(List.of(), Evaluator.tick(RULES, memory, T0.plus(Duration.ofHours(24)).minusMillis(1), null, Map.of(SCALE, ASSIGNED.get(SCALE))));
        List<AlertChange> open = Evaluator.tick(RULES, memory, T0.plus(Duration.ofHours(24)), null, Map.of(SCALE, ASSIGNED.get(SCALE)));
        assertEquals(1, open.size(), open.toString());
        assertEquals("device-silent:" + SCALE + "/high", open.get(0).key());
        assertEquals(Change.OPENED, open.get(0).change());
        assertEquals(Severity.WARNING, open.get(0).severity());
        assertEquals(Rule.DEVICES, open.get(0).program());
        assertTrue(open.get(0).summary().startsWith("Scale SC-1 has sent nothing for 1 d"), open.get(0).summary());
        assertEquals(List.of(), Evaluator.tick(RULES, memory, T0.plus(Duration.ofHours(30)), null, Map.of(SCALE, ASSIGNED.get(SCALE))),
                "one alert, not one per scan");
        List<AlertChange> back = heard(SCALE, T0.plus(Duration.ofHours(31)), null);
        assertEquals(Change.RESOLVED, back.get(0).change(), back.toString());
    }

    @Test
    void aDeviceThatNeverSentAnythingIsSilentSinceItWasAssigned() {
        List<AlertChange> c = Evaluator.tick(RULES, memory, T0.plus(Duration.ofHours(23)), null, ASSIGNED);
        assertEquals(1, c.size(), "the scale was assigned 10 days ago and never heard from; the cuff only 23 h ago: " + c);
        assertTrue(c.get(0).summary().contains("nothing since it was assigned"), c.toString());
        List<AlertChange> both = Evaluator.tick(RULES, memory, T0.plus(Duration.ofHours(24)), null, ASSIGNED);
        assertEquals(1, both.size(), "only the cuff is new: " + both);
        assertEquals("device-silent:" + CUFF + "/high", both.get(0).key());
    }

    @Test
    void aDeviceNoLongerAssignedIsForgottenAndItsAlertResolves() {
        heard(SCALE, T0, 15.0);
        assertEquals(1, memory.states().size());
        List<AlertChange> c = Evaluator.tick(RULES, memory, T0.plusSeconds(60), null, Map.of());
        assertEquals(Change.RESOLVED, c.get(0).change(), c.toString());
        assertTrue(memory.devices().isEmpty());
        assertEquals(List.of(), Evaluator.tick(RULES, memory, T0.plus(Duration.ofDays(5)), null, Map.of()), "nothing left to watch");
    }

    @Test
    void betweenScansTheDeviceWatchIsLeftAlone() {
        heard(SCALE, T0, 15.0);
        assertEquals(List.of(), Evaluator.tick(RULES, memory, T0.plus(Duration.ofDays(5)), null, null));
        assertEquals(1, memory.states().size());
    }

    /** battery levels in order → the change each one makes (- for none; UPDATED counts a repeat on the open alert). */
    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource(textBlock = """
            20,               -
            19.9,             OPENED
            19.9 10,          OPENED UPDATED
            15 21 15,         OPENED - UPDATED
            15 25 15,         OPENED RESOLVED OPENED
            50 19 50,         - OPENED RESOLVED
            """)
    void batteryBelowTheLimitWithAMarginBeforeItRearms(String levels, String expected) {
        List<String> got = new ArrayList<>();
        int i = 0;
        for (String level : levels.split(" ")) {
            List<AlertChange> c = heard(SCALE, T0.plusSeconds(60L * i++), Double.parseDouble(level));
            got.add(c.isEmpty() ? "-" : c.get(0).change().name());
        }
        assertEquals(expected, String.join(" ", got));
    }

    @Test
    void aDevicesOwnLowBatteryFlagOpensAndItsAbsenceSaysNothing() {
        List<AlertChange> c = Evaluator.onDevice(RULES, memory, CUFF, "device BP-1", T0, null, true, true);
        assertEquals("battery-low:" + CUFF + "/low", c.get(0).key());
        assertTrue(c.get(0).summary().contains("reports a low battery"), c.get(0).summary());
        assertEquals(List.of(), Evaluator.onDevice(RULES, memory, CUFF, "device BP-1", T0.plusSeconds(60), null, false, true));
        assertEquals(1, memory.states().size());
    }

    @Test
    void aTenantWithoutADeviceWatchGetsNoDeviceAlerts() {
        PatientRules none = AlertConfigReader.read("""
                programs:
                  p:
                    thresholds: [ { code: 8480-6, criticalHigh: 180 } ]
                defaultPrograms: [ p ]
                """).rulesFor(PatientSettings.NOT_ENROLLED);
        assertEquals(List.of(), Evaluator.onDevice(none, memory, SCALE, "device SC-1", T0, 1.0, true, true));
        assertEquals(List.of(), Evaluator.tick(none, memory, T0.plus(Duration.ofDays(30)), null, ASSIGNED));
    }

    @Test
    void catchingUpRemembersWhenADeviceWasHeardButJudgesNothing() {
        assertEquals(List.of(), Evaluator.onDevice(RULES, memory, SCALE, "device SC-1", T0, 5.0, false, false));
        assertEquals(new DeviceHeard(T0, 5.0), memory.devices().get(SCALE));
        Evaluator.onDevice(RULES, memory, SCALE, "device SC-1", T0.minusSeconds(60), null, false, false);
        assertEquals(new DeviceHeard(T0, 5.0), memory.devices().get(SCALE), "an older message never moves it back");
    }
}
