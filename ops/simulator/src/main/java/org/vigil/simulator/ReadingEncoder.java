package org.vigil.simulator;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import org.vigil.core.ContentHash;
import org.vigil.core.DeviceReading;
import org.vigil.core.Measurement;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.List;

/** Turns a {@link DeviceReading} into the message a device publishes: subject, content-hash id, canonical JSON. */
public final class ReadingEncoder {
    private final TenantId tenant;
    private final ObjectWriter writer;

    public ReadingEncoder(TenantId tenant, ObjectMapper mapper) {
        this.tenant = tenant;
        this.writer = mapper.writerFor(DeviceReading.class);
    }

    public ReadingEncoder(TenantId tenant) {
        this(tenant, newObjectMapper());
    }

    /**
     * The mapper the simulator writes with: null fields omitted, and whole numbers written as integers
     * ({@code "value":128}, not {@code 128.0}) because that is what devices send for integral readings.
     */
    public static ObjectMapper newObjectMapper() {
        SimpleModule numbers = new SimpleModule("vigil-sim-numbers");
        numbers.addSerializer(Double.class, new CompactDoubleSerializer(Double.class));
        numbers.addSerializer(Double.TYPE, new CompactDoubleSerializer(Double.TYPE));
        return new ObjectMapper()
                .setSerializationInclusion(JsonInclude.Include.NON_NULL)
                .registerModule(numbers);
    }

    public TenantId tenant() {
        return tenant;
    }

    public String subject(String deviceIdentifier) {
        return Subjects.ingest(tenant, Subjects.CANONICAL_FORMAT, deviceIdentifier);
    }

    /** A single-value reading. {@code subject} is passed in so callers can precompute it once per device. */
    public SimMessage single(String subject, String device, String code, double value, String unit, long effectiveMillis) {
        String effective = IsoMillis.format(effectiveMillis);
        DeviceReading reading = DeviceReading.single(device, code, value, unit, effective);
        return new SimMessage(subject, ContentHash.of(tenant, reading, Instant.ofEpochMilli(effectiveMillis)), json(reading), reading);
    }

    public SimMessage panel(String subject, String device, String code, List<Measurement> components, long effectiveMillis) {
        String effective = IsoMillis.format(effectiveMillis);
        DeviceReading reading = DeviceReading.panel(device, code, components, effective);
        return new SimMessage(subject, ContentHash.of(tenant, reading, Instant.ofEpochMilli(effectiveMillis)), json(reading), reading);
    }

    /** Re-encodes a reading (e.g. one a fault injector altered); its effective time must be ISO-8601. */
    public SimMessage encode(DeviceReading reading) {
        String msgId = ContentHash.of(tenant, reading, Instant.parse(reading.effective()));
        return new SimMessage(subject(reading.device()), msgId, json(reading), reading);
    }

    public byte[] json(DeviceReading reading) {
        try {
            return writer.writeValueAsBytes(reading);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("a DeviceReading always serializes", e);
        }
    }

    private static final class CompactDoubleSerializer extends StdSerializer<Double> {
        CompactDoubleSerializer(Class<Double> type) {
            super(type);
        }

        @Override
        public void serialize(Double value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            double v = value;
            if (v == Math.rint(v) && Math.abs(v) < 1e15) {
                gen.writeNumber((long) v);
            } else {
                gen.writeNumber(v);
            }
        }
    }
}
