package org.vigil.bench;

import org.junit.jupiter.api.Test;
import org.vigil.alerting.AlertConfig;
import org.vigil.alerting.Band;
import org.vigil.alerting.Program;
import org.vigil.alerting.Thresholds;
import org.vigil.alerting.config.AlertConfigReader;
import org.vigil.core.DeviceReading;
import org.vigil.core.TenantId;
import org.vigil.simulator.Fleet;
import org.vigil.simulator.SimMessage;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The triage load's plan, its readings and the alert rules they are judged by; publishing needs the stack. */
class TriageAlertsTest {

    @Test
    void tenThousandAlertsOverTwoThousandPatientsFiveEachOneCritical() {
        List<TriageAlerts.Planned> plan = TriageAlerts.plan(10_000, 2_000);
        assertEquals(10_000, plan.size());
        Map<Integer, List<TriageAlerts.Planned>> byPatient = plan.stream().collect(Collectors.groupingBy(TriageAlerts.Planned::patient));
        assertEquals(2_000, byPatient.size());
        byPatient.values().forEach(alerts -> {
            assertEquals(5, alerts.size());
            assertEquals(1, alerts.stream().filter(TriageAlerts.Planned::critical).count());
        });
        // every rule has critical alerts as well as warnings
        for (TriageAlerts.Slot slot : TriageAlerts.Slot.values()) {
            assertTrue(plan.stream().anyMatch(p -> p.slot() == slot && p.critical()), slot.name());
            assertTrue(plan.stream().anyMatch(p -> p.slot() == slot && !p.critical()), slot.name());
        }
    }

    @Test
    void anUnevenSplitGivesTheFirstPatientsOneMore() {
        List<TriageAlerts.Planned> plan = TriageAlerts.plan(7, 3);
        assertEquals(List.of(3, 2, 2), List.of(count(plan, 0), count(plan, 1), count(plan, 2)));
        // one alert per patient and rule: the suppression key (patient, rule, side) would merge two
        Set<String> keys = new HashSet<>();
        plan.forEach(p -> assertTrue(keys.add(p.patient() + "/" + p.slot())));
    }

    @Test
    void refusesMoreThanOneAlertPerRuleAndPatient() {
        assertThrows(IllegalArgumentException.class, () -> TriageAlerts.plan(11, 2));
        assertThrows(IllegalArgumentException.class, () -> TriageAlerts.plan(10, 0));
        assertEquals(10, TriageAlerts.plan(10, 2).size());
    }

    @Test
    void eachValueFallsInThePlannedBandOfTheTenantsRules() throws Exception {
        AlertConfig config = AlertConfigReader.read(configDocument());
        assertEquals(List.of("bench"), config.defaultPrograms());
        Program program = config.programs().get("bench");
        Map<String, Thresholds> limits = new HashMap<>();
        program.thresholds().forEach(t -> limits.put(t.code(), t));
        for (TriageAlerts.Slot slot : TriageAlerts.Slot.values()) {
            Thresholds t = limits.get(slot.code());
            assertNotNull(t, slot.name());
            assertTrue(t.classify(slot.critical).critical(), slot + " critical value " + slot.critical + " is " + t.classify(slot.critical));
            Band warning = t.classify(slot.warning);
            assertTrue(warning != Band.NORMAL && !warning.critical(), slot + " warning value " + slot.warning + " is " + warning);
            assertEquals(Band.NORMAL, t.classify(slot.normal), slot + " normal value");
        }
    }

    @Test
    void readingsCarryEveryPlannedValueOncePerDevice() {
        Fleet fleet = Fleet.generate(new TenantId(TriageAlerts.TENANT), 3, 42);
        List<TriageAlerts.Planned> plan = TriageAlerts.plan(11, 3);   // 4, 4, 3 alerts
        List<SimMessage> messages = TriageAlerts.messages(fleet, plan, 1_800_000_000_000L);
        // patient 0 and 1: cuff panel, cuff heart rate, oximeter; patient 2: cuff panel, cuff heart rate
        assertEquals(8, messages.size());
        assertEquals(messages.size(), messages.stream().map(SimMessage::msgId).distinct().count(), "message ids are distinct");
        Map<String, Double> values = new HashMap<>();
        for (SimMessage m : messages.subList(0, 3)) {   // patient 0
            DeviceReading r = m.reading();
            r.measurements().forEach(c -> values.put(c.code(), c.value()));
        }
        for (TriageAlerts.Planned p : plan.subList(0, 4)) {
            assertEquals(p.value(), values.get(p.slot().code()), p.toString());
        }
    }

    private static int count(List<TriageAlerts.Planned> plan, int patient) {
        return (int) plan.stream().filter(p -> p.patient() == patient).count();
    }

    private static String configDocument() throws Exception {
        try (InputStream in = TriageAlerts.class.getResourceAsStream(TriageAlerts.CONFIG_RESOURCE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
