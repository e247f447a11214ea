package org.vigil.normalize.omh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * Makes fuzz inputs from valid data points: the data points as they are, mutated trees (keys deleted or renamed,
 * values of the wrong type, odd numbers, dates, units and schema ids), arrays mixing good and bad points, nested
 * arrays, and byte-level damage (truncation, flipped bytes, garbage). Deterministic for a given {@link Random}.
 */
final class OmhMutator {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final List<String> ODD_STRINGS = List.of("", " ", "NaN", "Infinity", "-Infinity", "1e999", "-0",
            "0x1A", "12,5", " 120 ", "null", "true", "120mmHg", "\u0000", "\uFFFF", "é", "mmHg", "beats/min", "%",
            "🫀", "a".repeat(5_000));
    private static final List<String> ODD_DATES = List.of("2025-05-31T07:30:00Z", "2025-05-31T07:30:00+14:00",
            "2025-05-31t07:30:00z", "2025-05-31T07:30:00", "2025-13-01T00:00:00Z", "2025-02-30T00:00:00Z",
            "2025-05-31T24:00:00Z", "2016-12-31T23:59:60Z", "0000-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
            "1970-01-01T00:00:00Z", "2025-05-31T07:30:00.123456789012Z", "2025-05-31 07:30:00Z", "2025-05-31",
            "2099-01-01T00:00:00Z", "2025-06-01T12:05:00Z", "yesterday");
    private static final List<Double> ODD_NUMBERS = List.of(0.0, -1.0, 1e-300, 1e300, 1e308, Double.MAX_VALUE,
            -0.0, 0.5, 37.0, 98.6, 120.0, 400.0, 4.9e-324, 1e15, 123456789012.0, 200_001.0);
    private static final List<String> UNITS = List.of("mmHg", "kg", "lb", "g", "oz", "C", "F", "K", "%", "steps",
            "beats/min", "mg/dL", "mmol/L", "sec", "min", "h", "d", "wk", "Mo", "yr", "ps", "L/min", "Metric Ton", "bpm");
    private static final List<String> NAMES = List.of("blood-pressure", "body-weight", "heart-rate", "blood-glucose",
            "oxygen-saturation", "body-temperature", "step-count", "systolic-blood-pressure", "diastolic-blood-pressure",
            "sleep-duration", "ambient-sound", "data-point", "header", "unit-value", "../blood-pressure", "");
    private static final List<String> VERSIONS = List.of("1.0", "1.1", "2.0", "3.0", "3.1", "4.0", "1.x", "3", "5.0",
            "", "1.0.0", "../../1.0");
    /** Bytes that break JSON structure, numbers or UTF-8. */
    private static final List<Byte> DAMAGE = List.of((byte) '{', (byte) '}', (byte) '[', (byte) ']', (byte) '"',
            (byte) ',', (byte) ':', (byte) '\\', (byte) 'e', (byte) '-', (byte) '.', (byte) 'N', (byte) 0x00, (byte) 0xC3,
            (byte) 0xFF);
    private static final List<String> NAMESPACES = List.of("omh", "ieee", "granola", "OMH", "");

    private final Random random;
    private final List<ObjectNode> seeds;

    OmhMutator(Random random, List<ObjectNode> seeds) {
        this.random = random;
        this.seeds = seeds;
    }

    byte[] next() {
        int dice = random.nextInt(100);
        if (dice < 12) {
            return OmhCorpus.bytes(seed());
        }
        if (dice < 55) {
            return OmhCorpus.bytes(mutated(seed()));
        }
        if (dice < 68) {
            ArrayNode array = NODES.arrayNode();
            int n = 1 + random.nextInt(6);
            for (int i = 0; i < n; i++) {
                array.add(random.nextBoolean() ? seed() : mutated(seed()));
            }
            return OmhCorpus.bytes(array);
        }
        if (dice < 73) {
            return nested();
        }
        if (dice < 88) {
            return damaged(OmhCorpus.bytes(random.nextInt(4) == 0 ? arrayOf(seed(), seed()) : seed()));
        }
        if (dice < 93) {
            return tokens();
        }
        byte[] garbage = new byte[random.nextInt(64)];
        random.nextBytes(garbage);
        return garbage;
    }

    private ObjectNode seed() {
        return seeds.get(random.nextInt(seeds.size())).deepCopy();
    }

    private ArrayNode arrayOf(JsonNode... nodes) {
        ArrayNode a = NODES.arrayNode();
        for (JsonNode n : nodes) {
            a.add(n);
        }
        return a;
    }

    private JsonNode mutated(ObjectNode point) {
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            mutateOnce(point);
        }
        return point;
    }

    private void mutateOnce(ObjectNode point) {
        switch (random.nextInt(9)) {
            case 0 -> schemaId(point);
            case 1 -> {
                Slot s = slot(point);
                if (s != null) {
                    s.remove();
                }
            }
            case 2 -> {
                Slot s = slot(point);
                if (s != null && s.parent() instanceof ObjectNode o) {
                    JsonNode v = s.remove();
                    String k = s.key();
                    String renamed = pick(List.of(k.toUpperCase(), k + "_", k.replace('_', '-'), "x" + k, k + " ",
                            k.isEmpty() ? "k" : k.substring(1)));
                    o.set(renamed, v);
                }
            }
            default -> {
                Slot s = slot(point);
                if (s != null) {
                    s.set(value(s.get()));
                }
            }
        }
    }

    private void schemaId(ObjectNode point) {
        JsonNode id = point.path("header").path("schema_id");
        if (id instanceof ObjectNode o) {
            switch (random.nextInt(3)) {
                case 0 -> o.put("name", pick(NAMES));
                case 1 -> o.put("version", pick(VERSIONS));
                default -> o.put("namespace", pick(NAMESPACES));
            }
        }
    }

    /** A replacement for {@code old}: another type, an odd number, date, unit or string, or old wrapped in an array. */
    private JsonNode value(JsonNode old) {
        return switch (random.nextInt(11)) {
            case 0 -> NODES.nullNode();
            case 1 -> NODES.booleanNode(random.nextBoolean());
            case 2 -> NODES.numberNode(pick(ODD_NUMBERS) * (random.nextBoolean() ? 1 : -1));
            case 3 -> NODES.numberNode(random.nextInt());
            case 4 -> NODES.textNode(pick(ODD_STRINGS));
            case 5 -> NODES.textNode(pick(ODD_DATES));
            case 6 -> NODES.textNode(pick(UNITS));
            case 7 -> arrayOf(old);
            case 8 -> NODES.objectNode().set("value", old);
            case 9 -> old.isNumber() ? NODES.textNode(old.asText()) : NODES.objectNode();
            default -> NODES.arrayNode();
        };
    }

    /** Arrays in arrays; now and then deeper than any JSON parser should follow (written as text: Jackson won't). */
    private byte[] nested() {
        if (random.nextInt(8) == 0) {
            int depth = 2_000 + random.nextInt(100_000);
            String point = new String(OmhCorpus.bytes(seed()), StandardCharsets.UTF_8);
            return ("[".repeat(depth) + point + "]".repeat(depth)).getBytes(StandardCharsets.UTF_8);
        }
        JsonNode node = seed();
        int depth = 1 + random.nextInt(4);
        for (int i = 0; i < depth; i++) {
            node = arrayOf(node);
        }
        return OmhCorpus.bytes(random.nextBoolean() ? node : arrayOf(seed(), node));
    }

    private byte[] damaged(byte[] bytes) {
        byte[] out = bytes.clone();
        switch (random.nextInt(3)) {
            case 0 -> {
                return Arrays.copyOf(out, random.nextInt(out.length));
            }
            case 1 -> {
                int flips = 1 + random.nextInt(4);
                for (int i = 0; i < flips; i++) {
                    out[random.nextInt(out.length)] = pick(DAMAGE);
                }
                return out;
            }
            default -> {
                String text = new String(out, StandardCharsets.UTF_8);
                String token = pick(List.of("NaN", "Infinity", "-Infinity", "1e999", "0x1A", "undefined", "'x'",
                        "// c\n", ",", "}"));
                int at = random.nextInt(text.length());
                return (text.substring(0, at) + token + text.substring(at)).getBytes(StandardCharsets.UTF_8);
            }
        }
    }

    /** Short streams of JSON tokens: most are not a data point, some are not JSON. */
    private byte[] tokens() {
        List<String> parts = List.of("{", "}", "[", "]", "\"header\"", "\"body\"", ":", ",", "null", "1", "\"x\"", "true", " ");
        StringBuilder b = new StringBuilder();
        int n = random.nextInt(20);
        for (int i = 0; i < n; i++) {
            b.append(pick(parts));
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A random member of a random container in the tree (not the root itself). */
    private Slot slot(JsonNode root) {
        List<Slot> slots = new ArrayList<>();
        collect(root, slots);
        return slots.isEmpty() ? null : slots.get(random.nextInt(slots.size()));
    }

    private static void collect(JsonNode node, List<Slot> into) {
        if (node instanceof ObjectNode o) {
            for (Iterator<String> names = o.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                into.add(new Slot(o, name, -1));
                collect(o.get(name), into);
            }
        } else if (node instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) {
                into.add(new Slot(a, null, i));
                collect(a.get(i), into);
            }
        }
    }

    private <T> T pick(List<T> from) {
        return from.get(random.nextInt(from.size()));
    }

    /** A place in a tree: a member of an object or an element of an array. */
    private record Slot(ContainerNode<?> parent, String key, int index) {
        JsonNode get() {
            return parent instanceof ObjectNode o ? o.get(key) : ((ArrayNode) parent).get(index);
        }

        void set(JsonNode value) {
            if (parent instanceof ObjectNode o) {
                o.set(key, value);
            } else {
                ((ArrayNode) parent).set(index, value);
            }
        }

        JsonNode remove() {
            return parent instanceof ObjectNode o ? o.remove(key) : ((ArrayNode) parent).remove(index);
        }
    }
}
