package org.vigil.simulator;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.vigil.core.DeviceReading;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FaultInjectorTest {
    private static final TenantId DEMO = new TenantId("demo");
    private static final Instant END = Instant.parse("2026-11-21T00:00:00Z");
    private final Fleet fleet = Fleet.generate(DEMO, 10, 42);
    private final ReadingEncoder encoder = new ReadingEncoder(DEMO);
    private final ReadingGenerator generator = new ReadingGenerator(fleet, new Physiology(), encoder);

    private BackfillSource source(int n) {
        return new BackfillSource(generator, n, END, Duration.ofDays(7));
    }

    @Test
    void everyFaultIsOneOfTheThreeKinds() throws Exception {
        FaultInjector faults = new FaultInjector(source(3_000), 1.0, encoder, 42);
        ObjectMapper plain = new ObjectMapper();
        Map<FaultInjector.Fault, Integer> seen = new EnumMap<>(FaultInjector.Fault.class);
        while (faults.hasNext()) {
            SimMessage m = faults.next();
            if (m.reading() == null) {
                assertThrows(Exception.class, () -> plain.readValue(m.payload(), DeviceReading.class));
                seen.merge(FaultInjector.Fault.MALFORMED_JSON, 1, Integer::sum);
            } else if (fleet.device(m.reading().device()).isEmpty()) {
                assertTrue(m.reading().device().startsWith("UNK-demo-"));
                assertEquals(m.reading(), plain.readValue(m.payload(), DeviceReading.class));
                seen.merge(FaultInjector.Fault.UNKNOWN_DEVICE, 1, Integer::sum);
            } else {
                assertTrue(Instant.parse(m.reading().effective()).isBefore(Fleet.ASSIGNED_FROM), m.reading().effective());
                seen.merge(FaultInjector.Fault.BEFORE_ASSIGNMENT, 1, Integer::sum);
            }
        }
        for (FaultInjector.Fault f : FaultInjector.Fault.values()) {
            assertTrue(seen.getOrDefault(f, 0) > 800, f + ": " + seen);
            assertEquals((long) seen.get(f), faults.injected().get(f));
        }
    }

    @Test
    void untouchedMessagesAreThoseOfARunWithoutFaults() {
        List<SimMessage> clean = new ArrayList<>();
        source(5_000).forEachRemaining(clean::add);
        FaultInjector faults = new FaultInjector(source(5_000), 0.01, encoder, 42);
        int i = 0;
        int replaced = 0;
        while (faults.hasNext()) {
            SimMessage m = faults.next();
            SimMessage c = clean.get(i++);
            if (m.msgId().equals(c.msgId())) {
                assertArrayEquals(c.payload(), m.payload());
            } else {
                replaced++;
            }
        }
        assertEquals(5_000, i);
        assertTrue(replaced > 20 && replaced < 90, "replaced " + replaced);
    }

    @Test
    void zeroProbabilityChangesNothing() {
        FaultInjector faults = new FaultInjector(source(100), 0, encoder, 42);
        BackfillSource clean = source(100);
        while (faults.hasNext()) {
            assertEquals(clean.next().msgId(), faults.next().msgId());
        }
    }
}
