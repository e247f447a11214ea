package org.vigil.bench;

import io.micronaut.context.ApplicationContext;
import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Payload;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * Decode throughput per format, in process on one thread: bytes in, validated canonical readings out (units,
 * ranges, time rules, content hash). The baseline is the same bytes through a bare parse (a JSON tree for the
 * JSON formats, HAPI's pipe parser without validation for HL7 v2), so the ratio shows what mapping and validation
 * cost.
 */
final class DecodeBench {
    private static final TenantId TENANT = new TenantId("bench");
    private static final Duration WARM_UP = Duration.ofSeconds(2);
    private static final Duration MEASURE = Duration.ofSeconds(3);

    private final Map<String, byte[]> samples = new LinkedHashMap<>();
    private final ca.uhn.hl7v2.HapiContext hl7 = hl7Context();

    DecodeBench() {
        Instant t = Instant.now().minusSeconds(600);
        samples.put("canonical", utf8("{\"device\":\"SN-1\",\"code\":\"85354-9\",\"effective\":\"" + t + "\",\"components\":["
                + "{\"code\":\"8480-6\",\"value\":128,\"unit\":\"mm[Hg]\"},{\"code\":\"8462-4\",\"value\":82,\"unit\":\"mm[Hg]\"}]}"));
        StringBuilder hub = new StringBuilder("{\"hub\":{\"serial\":\"HUB-1\",\"battery\":80,\"signal\":-80,\"firmware\":\"1.0\",\"clock\":\"")
                .append(Instant.now()).append("\"},\"measurements\":[");
        for (int i = 0; i < 10; i++) {
            hub.append(i == 0 ? "" : ",").append("{\"device\":\"SCALE-1\",\"code\":\"29463-7\",\"value\":").append(170 + i)
                    .append(",\"unit\":\"lb\",\"time\":\"").append(t.plusSeconds(i)).append("\"}");
        }
        samples.put("hub (10 readings)", utf8(hub.append("]}").toString()));
        samples.put("gatt", utf8("{\"device\":\"AA:BB:CC:DD:EE:FF\",\"characteristic\":\"2A35\",\"time\":\"" + t
                + "\",\"hex\":\"1E8A005800780000000411142 93B3C00012700\"}".replace(" ", "")));
        samples.put("omh", utf8("{\"header\":{\"id\":\"5d8a6b3e-3c1f-4c1a-9a3e-7f7a6f9d2b10\",\"creation_date_time\":\"" + t
                + "\",\"schema_id\":{\"namespace\":\"omh\",\"name\":\"blood-pressure\",\"version\":\"3.1\"}},"
                + "\"body\":{\"systolic_blood_pressure\":{\"value\":128,\"unit\":\"mmHg\"},\"diastolic_blood_pressure\":"
                + "{\"value\":82,\"unit\":\"mmHg\"},\"effective_time_frame\":{\"date_time\":\"" + t + "\"}}}"));
        samples.put("hl7v2", utf8(MllpBench.pcd01Message("BENCH-0001", t)));
    }

    void run() {
        try (ApplicationContext ctx = ApplicationContext.run()) {
            Decoders decoders = ctx.getBean(Decoders.class);
            JsonMapper json = ctx.getBean(JsonMapper.class);
            System.out.printf("%nDecode throughput, one thread (%d s each after %d s warm-up)%n", MEASURE.toSeconds(), WARM_UP.toSeconds());
            System.out.printf("%-20s %14s %14s %16s %10s%n", "format", "messages/s", "readings/s", "baseline parse/s", "ratio");
            for (Map.Entry<String, byte[]> e : samples.entrySet()) {
                String format = e.getKey().split(" ")[0];
                byte[] bytes = e.getValue();
                Normalized check = decoders.decode(new Payload(TENANT, format, "SN-1", bytes, Instant.now()));
                if (check.readings().isEmpty() || !check.problems().isEmpty()) {
                    System.out.printf("%-20s sample does not decode cleanly: %s%n", e.getKey(), check.problems());
                    continue;
                }
                int perMessage = check.readings().size();
                double rate = rate(b -> decoders.decode(new Payload(TENANT, format, "SN-1", b, Instant.now())).readings().size(), bytes);
                double baseline = format.equals("hl7v2") ? rate(this::parseHl7, bytes) : rate(b -> parse(json, b), bytes);
                System.out.printf("%-20s %,14.0f %,14.0f %,16.0f %10s%n", e.getKey(), rate, rate * perMessage, baseline,
                        String.format("%.2f", rate / baseline));
            }
        }
    }

    private static int parse(JsonMapper json, byte[] b) {
        try {
            return json.readValue(b, JsonNode.class).size();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // HAPI's bare pipe parse, no validation: what any HL7 v2 consumer pays before it can look at a field.
    private int parseHl7(byte[] b) {
        try {
            return hl7.getPipeParser().parse(new String(b, StandardCharsets.ISO_8859_1)).getNames().length;
        } catch (ca.uhn.hl7v2.HL7Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ca.uhn.hl7v2.HapiContext hl7Context() {
        ca.uhn.hl7v2.HapiContext c = new ca.uhn.hl7v2.DefaultHapiContext();
        c.setValidationContext(new ca.uhn.hl7v2.validation.impl.NoValidation());
        return c;
    }

    private static double rate(ToIntFunction<byte[]> work, byte[] bytes) {
        long sink = 0;
        long end = System.nanoTime() + WARM_UP.toNanos();
        while (System.nanoTime() < end) {
            sink += work.applyAsInt(bytes);
        }
        long n = 0;
        long start = System.nanoTime();
        end = start + MEASURE.toNanos();
        while (System.nanoTime() < end) {
            for (int i = 0; i < 100; i++) {
                sink += work.applyAsInt(bytes);
            }
            n += 100;
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (sink == 42) {
            System.out.print("");  // keeps the JIT from discarding the work
        }
        return n / seconds;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
