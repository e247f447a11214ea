package org.vigil.alerting.internal;

import org.junit.jupiter.api.Test;
import org.vigil.alerting.DeviceHeard;
import org.vigil.alerting.RecentSamples;
import org.vigil.alerting.Sample;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

class MemoryCodecTest {
    private static final Instant T = Instant.parse("2026-11-01T08:00:00.123Z");

    @Test
    void whatIsWrittenIsReadBack() {
        Map<String, RecentSamples> windows = Map.of("29463-7", new RecentSamples(List.of(new Sample(T, 81.2), new Sample(T.plusSeconds(60), 81.9))));
        Map<String, Sample> latest = Map.of("8867-4", new Sample(T, 121));
        Map<UUID, DeviceHeard> devices = Map.of(new UUID(1, 2), new DeviceHeard(T, 14.5), new UUID(3, 4), new DeviceHeard(T, null));
        MemoryCodec.Decoded d = MemoryCodec.decode(MemoryCodec.encode(windows, latest, devices));
        assertEquals(windows.get("29463-7").samples(), d.windows().get("29463-7").samples());
        assertEquals(latest, d.latest());
        assertEquals(devices, d.devices());
    }

    @Test
    void aSnapshotWrittenBeforeTheDeviceWatchStillReads() {
        MemoryCodec.Decoded d = MemoryCodec.decode("{\"windows\":{},\"latest\":{\"8867-4\":[1,70.0]}}");
        assertEquals(Map.of(), d.devices());
        assertEquals(70.0, d.latest().get("8867-4").value());
    }
}
