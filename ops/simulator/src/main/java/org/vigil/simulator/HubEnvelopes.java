package org.vigil.simulator;

import org.vigil.core.DeviceReading;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;

/**
 * Makes scales and thermometers behave like cellular devices with a built-in modem: each reading travels as a
 * hub envelope ({@code vigil.<t>.ingest.hub.<serial>}) in pounds or degrees Fahrenheit, with battery, signal,
 * firmware and the device's clock, so the live fleet exercises the edge decoders and device status too.
 */
final class HubEnvelopes implements Iterator<SimMessage> {
    private static final double LB_PER_KG = 1 / 0.45359237;

    private final Iterator<SimMessage> source;
    private final TenantId tenant;

    HubEnvelopes(Iterator<SimMessage> source, TenantId tenant) {
        this.source = source;
        this.tenant = tenant;
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public SimMessage next() {
        SimMessage m = source.next();
        DeviceReading r = m.reading();
        if (r == null || r.value() == null || !(r.code().equals("29463-7") || r.code().equals("8310-5"))) {
            return m;
        }
        boolean weight = r.code().equals("29463-7");
        double value = weight ? r.value() * LB_PER_KG : r.value() * 9 / 5 + 32;
        int h = Math.floorMod(m.msgId().hashCode(), 1000);
        String json = String.format(Locale.ROOT, "{\"hub\":{\"serial\":\"%s\",\"battery\":%d,\"signal\":%d,\"firmware\":\"sim-1.2\","
                        + "\"clock\":\"%s\"},\"measurements\":[{\"code\":\"%s\",\"value\":%.1f,\"unit\":\"%s\",\"time\":\"%s\"}]}",
                r.device(), 20 + h % 80, -60 - h % 50, Instant.now(), r.code(), value, weight ? "lb" : "[degF]", r.effective());
        return new SimMessage(Subjects.ingest(tenant, "hub", r.device()), m.msgId(), json.getBytes(StandardCharsets.UTF_8), r);
    }
}
