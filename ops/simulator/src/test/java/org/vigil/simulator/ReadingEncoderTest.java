package org.vigil.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.vigil.core.ContentHash;
import org.vigil.core.DeviceReading;
import org.vigil.core.Measurement;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReadingEncoderTest {
    private static final TenantId DEMO = new TenantId("demo");
    private final ReadingEncoder encoder = new ReadingEncoder(DEMO);
    // a plain mapper, as a consumer that knows nothing about the simulator would use
    private final ObjectMapper plain = new ObjectMapper();

    @Test
    void everyGeneratedPayloadRoundTripsAndMatchesItsIdAndSubject() throws Exception {
        ReadingGenerator generator = new ReadingGenerator(Fleet.generate(DEMO, 5, 42), new Physiology(0.2, 0), encoder);
        BackfillSource source = new BackfillSource(generator, 2_000, Instant.parse("2026-11-21T00:00:00Z"), Duration.ofDays(3));
        while (source.hasNext()) {
            SimMessage m = source.next();
            DeviceReading parsed = plain.readValue(m.payload(), DeviceReading.class);
            assertEquals(m.reading(), parsed);
            assertEquals(Subjects.ingest(DEMO, Subjects.CANONICAL_FORMAT, parsed.device()), m.subject());
            List<Measurement> ms = parsed.components() != null ? parsed.components()
                    : List.of(new Measurement(parsed.code(), parsed.value(), parsed.unit()));
            assertEquals(ContentHash.of(DEMO, parsed.device(), parsed.code(), Instant.parse(parsed.effective()), ms), m.msgId());
        }
    }

    @Test
    void omitsNullsWritesWholeNumbersAsIntegersAndAlwaysMillis() throws Exception {
        long whole = Instant.parse("2026-11-21T07:30:00Z").toEpochMilli();
        SimMessage panel = encoder.panel("s", "BPC-demo-000001", "85354-9",
                List.of(new Measurement("8480-6", 128, "mm[Hg]"), new Measurement("8462-4", 82, "mm[Hg]")), whole);
        String json = new String(panel.payload());
        assertEquals("{\"device\":\"BPC-demo-000001\",\"code\":\"85354-9\",\"effective\":\"2026-11-21T07:30:00.000Z\","
                + "\"components\":[{\"code\":\"8480-6\",\"value\":128,\"unit\":\"mm[Hg]\"},"
                + "{\"code\":\"8462-4\",\"value\":82,\"unit\":\"mm[Hg]\"}]}", json);

        SimMessage weight = encoder.single("s", "SCL-demo-000001", "29463-7", 81.4, "kg", whole + 250);
        JsonNode node = plain.readTree(weight.payload());
        assertEquals("2026-11-21T07:30:00.250Z", node.get("effective").asText());
        assertEquals(81.4, node.get("value").asDouble());
        assertFalse(node.has("components"));
        assertTrue(new String(weight.payload()).contains("\"value\":81.4"));
    }

    @Test
    void formatsMillisecondsLikeInstantForAnyInstant() {
        long[] samples = {0, 1, 999, 978_307_200_000L, 1_700_000_000_123L, 4_102_444_799_999L, 951_782_400_000L};
        for (long ms : samples) {
            String iso = IsoMillis.format(ms);
            assertEquals(24, iso.length(), iso);
            assertEquals(Instant.ofEpochMilli(ms), Instant.parse(iso));
        }
    }
}
