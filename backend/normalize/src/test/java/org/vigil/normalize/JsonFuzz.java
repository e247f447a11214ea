package org.vigil.normalize;

import org.vigil.core.ErrorCode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Fuzzing for the JSON formats Vigil defines itself (canonical, hub): valid seeds mutated at the text level —
 * tokens swapped for other JSON values, characters deleted, duplicated or flipped, truncation, random bytes — fed
 * through {@link Decoders}. Whatever comes in, nothing escapes, the decoder does not crash, and every input ends
 * as readings, problems, or both; the tallies add up.
 */
public final class JsonFuzz {
    private static final String[] VALUES = {"null", "true", "-1", "0", "1e308", "-1e308", "\"\"", "\"x\"", "[]", "{}",
            "NaN", "\"NaN\"", "1.5", "99999999999999999999", "\"2026-13-45T99:99:99Z\"", "\"1970-01-01T00:00:00Z\"",
            "\"lb\"", "\"kPa\"", "\"[degF]\"", "\"mmol/L\"", "\"85354-9\"", "\"8480-6\"", "\"2A35\"", "\"zz\""};

    private JsonFuzz() {
    }

    /** Tallies of one run. */
    public record Tally(int inputs, int accepted, int partial, int rejected, long readings, Map<ErrorCode, Integer> problems) {
        @Override
        public String toString() {
            return String.format("%,d inputs: %,d fully accepted, %,d partially accepted, %,d rejected; %,d readings; problems %s",
                    inputs, accepted, partial, rejected, readings, problems);
        }
    }

    public static Tally run(int count, long seed, List<String> seeds, Function<byte[], Normalized> decode) {
        Random random = new Random(seed);
        int accepted = 0;
        int partial = 0;
        int rejected = 0;
        long readings = 0;
        Map<ErrorCode, Integer> problems = new EnumMap<>(ErrorCode.class);
        List<String> crashes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            byte[] input = mutate(random, seeds.get(random.nextInt(seeds.size())));
            Normalized n;
            try {
                n = decode.apply(input);
            } catch (Throwable t) {
                throw new AssertionError("input " + i + " escaped with " + t + ": " + new String(input, StandardCharsets.UTF_8), t);
            }
            readings += n.readings().size();
            for (Problem p : n.problems()) {
                problems.merge(p.code(), 1, Integer::sum);
                if (p.reason().contains("decoder could not read") && crashes.size() < 5) {
                    crashes.add(p.reason() + " <- " + new String(input, StandardCharsets.UTF_8));
                }
            }
            if (n.readings().isEmpty() && n.problems().isEmpty() && n.statuses().isEmpty()) {
                fail("input " + i + " ended as nothing: " + new String(input, StandardCharsets.UTF_8));
            } else if (n.problems().isEmpty()) {
                accepted++;
            } else if (n.readings().isEmpty()) {
                rejected++;
            } else {
                partial++;
            }
        }
        assertEquals(List.of(), crashes, "the decoder threw");
        assertEquals(count, accepted + partial + rejected, "every input is counted once");
        return new Tally(count, accepted, partial, rejected, readings, problems);
    }

    static byte[] mutate(Random r, String seed) {
        String s = seed;
        int edits = r.nextInt(4);
        for (int e = 0; e < edits && !s.isEmpty(); e++) {
            int at = r.nextInt(s.length());
            switch (r.nextInt(7)) {
                case 0 -> s = s.substring(0, at);                                                 // truncated
                case 1 -> s = s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + r.nextInt(8)));
                case 2 -> s = s.substring(0, at) + (char) (r.nextInt(95) + 32) + s.substring(at);
                case 3 -> s = replaceValue(r, s);
                case 4 -> s = s.substring(0, at) + s.substring(at, Math.min(s.length(), at + 20)) + s.substring(at);
                case 5 -> s = replaceValue(r, replaceValue(r, s));
                default -> {
                    byte[] junk = new byte[r.nextInt(16)];
                    r.nextBytes(junk);
                    s = s.substring(0, at) + new String(junk, StandardCharsets.ISO_8859_1) + s.substring(at);
                }
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    // Swaps one JSON scalar (after a ':' or in an array) for another value of any type.
    private static String replaceValue(Random r, String s) {
        List<Integer> colons = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == ':') {
                colons.add(i);
            }
        }
        if (colons.isEmpty()) {
            return s;
        }
        int start = colons.get(r.nextInt(colons.size())) + 1;
        int end = start;
        while (end < s.length() && ",}]".indexOf(s.charAt(end)) < 0) {
            end++;
        }
        return s.substring(0, start) + VALUES[r.nextInt(VALUES.length)] + s.substring(end);
    }
}
