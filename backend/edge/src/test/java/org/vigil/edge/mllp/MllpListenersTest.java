package org.vigil.edge.mllp;

import io.micronaut.context.ApplicationContext;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Listener configuration: fail closed, before anything listens or connects to the stream. */
class MllpListenersTest {

    private static String startupFailure(Map<String, Object> properties) {
        Exception e = assertThrows(Exception.class, () -> {
            try (ApplicationContext ignored = ApplicationContext.run(properties)) {
                // started: nothing to do
            }
        });
        StringBuilder messages = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages.append(t.getMessage()).append('\n');
        }
        return messages.toString();
    }

    @Test
    void aListenerWithoutAValidTenantStopsTheStartup() {
        String failure = startupFailure(Map.of(
                "vigil.mllp.listeners.ward3.tenant", "Ward 3",
                "vigil.mllp.listeners.ward3.port", 12575,
                "vigil.mllp.listeners.icu.port", 12576));
        assertTrue(failure.contains("vigil.mllp.listeners.ward3.tenant is 'Ward 3', not a tenant id"), failure);
        assertTrue(failure.contains("vigil.mllp.listeners.icu.tenant is 'null', not a tenant id"), failure);
    }

    @Test
    void twoListenersOnOnePortOrAPortOutOfRangeStopTheStartup() {
        String failure = startupFailure(Map.of(
                "vigil.mllp.listeners.a.tenant", "acme", "vigil.mllp.listeners.a.port", 12577,
                "vigil.mllp.listeners.b.tenant", "beta", "vigil.mllp.listeners.b.port", 12577,
                "vigil.mllp.listeners.c.tenant", "gamma", "vigil.mllp.listeners.c.port", 70000,
                "vigil.mllp.listeners.d.tenant", "delta", "vigil.mllp.listeners.d.port", 12578,
                "vigil.mllp.listeners.d.truststore", "/tmp/trust.p12"));
        assertTrue(failure.contains("port 12577 is used by another listener"), failure);
        assertTrue(failure.contains("vigil.mllp.listeners.c.port 70000 is not a TCP port"), failure);
        assertTrue(failure.contains("vigil.mllp.listeners.d.truststore is set without a keystore"), failure);
    }

    @Test
    void withoutListenersNothingStarts() {
        try (ApplicationContext context = ApplicationContext.run(Map.of())) {
            assertEquals(0, context.getBeansOfType(MllpListenerSettings.class).size());
        }
    }
}
