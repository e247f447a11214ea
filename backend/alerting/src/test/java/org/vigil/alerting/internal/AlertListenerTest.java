package org.vigil.alerting.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigil.alerting.AlertSignal;
import org.vigil.core.TenantId;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The notification payload as notify_alert_change() (V5__dashboard.sql) writes it. */
class AlertListenerTest {
    private static final UUID ALERT = UUID.fromString("6f0c3a52-1d6e-4c8e-9a57-0c1f2b3a4d5e");
    private static final UUID PATIENT = UUID.fromString("0b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4");

    @Test
    void anInsertIsAnOpenedAlertAndAnUpdateAChangedOne() {
        assertEquals(new AlertSignal(new TenantId("clinic-1"), AlertSignal.Kind.OPENED, ALERT, PATIENT, "open"),
                AlertListener.parse("clinic-1 " + ALERT + " " + PATIENT + " open insert").orElseThrow());
        assertEquals(new AlertSignal(new TenantId("clinic-1"), AlertSignal.Kind.CHANGED, ALERT, PATIENT, "resolved"),
                AlertListener.parse("clinic-1 " + ALERT + " " + PATIENT + " resolved update").orElseThrow());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "clinic-1", "Clinic-1 6f0c3a52-1d6e-4c8e-9a57-0c1f2b3a4d5e 0b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4 open insert",
            "clinic-1 not-a-uuid 0b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4 open insert",
            "clinic-1 6f0c3a52-1d6e-4c8e-9a57-0c1f2b3a4d5e 0b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4 open delete",
            "clinic-1 6f0c3a52-1d6e-4c8e-9a57-0c1f2b3a4d5e 0b7e1c2d-3f4a-4b5c-8d6e-7f8091a2b3c4 open insert extra"})
    void anythingElseIsIgnored(String payload) {
        assertTrue(AlertListener.parse(payload).isEmpty(), payload);
    }
}
