package org.vigil.alerting.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import org.vigil.alerting.DeviceHeard;
import org.vigil.alerting.RecentSamples;
import org.vigil.alerting.Sample;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Windows, latest values and devices heard from as compact JSON: {@code {"windows": {code: [[ms, value], …]},
 * "latest": {code: [ms, value]}, "devices": {deviceId: [ms, battery or null]}}}. Milliseconds match the precision
 * readings are stored with.
 */
final class MemoryCodec {
    private static final JsonFactory JSON = new JsonFactory();

    private MemoryCodec() {
    }

    record Decoded(Map<String, RecentSamples> windows, Map<String, Sample> latest, Map<UUID, DeviceHeard> devices) {
    }

    static String encode(Map<String, RecentSamples> windows, Map<String, Sample> latest, Map<UUID, DeviceHeard> devices) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeObjectFieldStart("windows");
            for (Map.Entry<String, RecentSamples> w : windows.entrySet()) {
                g.writeArrayFieldStart(w.getKey());
                for (Sample s : w.getValue().samples()) {
                    sample(g, s);
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeObjectFieldStart("latest");
            for (Map.Entry<String, Sample> l : latest.entrySet()) {
                g.writeFieldName(l.getKey());
                sample(g, l.getValue());
            }
            g.writeEndObject();
            g.writeObjectFieldStart("devices");
            for (Map.Entry<UUID, DeviceHeard> d : devices.entrySet()) {
                g.writeArrayFieldStart(d.getKey().toString());
                g.writeNumber(d.getValue().at().toEpochMilli());
                if (d.getValue().batteryPercent() == null) {
                    g.writeNull();
                } else {
                    g.writeNumber(d.getValue().batteryPercent());
                }
                g.writeEndArray();
            }
            g.writeEndObject();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    static Decoded decode(String json) {
        Map<String, RecentSamples> windows = new HashMap<>();
        Map<String, Sample> latest = new HashMap<>();
        Map<UUID, DeviceHeard> devices = new HashMap<>();
        try (JsonParser p = JSON.createParser(json)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String section = p.currentName();
                expect(p.nextToken(), JsonToken.START_OBJECT);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String code = p.currentName();
                    expect(p.nextToken(), JsonToken.START_ARRAY);
                    if (section.equals("windows")) {
                        List<Sample> samples = new ArrayList<>();
                        while (p.nextToken() == JsonToken.START_ARRAY) {
                            samples.add(sampleBody(p));
                        }
                        windows.put(code, new RecentSamples(samples));
                    } else if (section.equals("devices")) {
                        p.nextToken();
                        long ms = p.getLongValue();
                        Double battery = p.nextToken() == JsonToken.VALUE_NULL ? null : p.getDoubleValue();
                        expect(p.nextToken(), JsonToken.END_ARRAY);
                        devices.put(UUID.fromString(code), new DeviceHeard(Instant.ofEpochMilli(ms), battery));
                    } else {
                        latest.put(code, sampleBody(p));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Decoded(windows, latest, devices);
    }

    private static void sample(JsonGenerator g, Sample s) throws IOException {
        g.writeStartArray();
        g.writeNumber(s.at().toEpochMilli());
        g.writeNumber(s.value());
        g.writeEndArray();
    }

    /** Reads {@code ms, value]} after the opening bracket. */
    private static Sample sampleBody(JsonParser p) throws IOException {
        p.nextToken();
        long ms = p.getLongValue();
        p.nextToken();
        double v = p.getDoubleValue();
        expect(p.nextToken(), JsonToken.END_ARRAY);
        return new Sample(Instant.ofEpochMilli(ms), v);
    }

    private static void expect(JsonToken got, JsonToken want) throws IOException {
        if (got != want) {
            throw new IOException("alert memory: expected " + want + " but found " + got);
        }
    }
}
