package org.vigil.normalize;


import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;


/**
 * Fuzzing for the JSON formats Vigil defines itself (canonical, hub): valid seeds mutated at the text level —
 * tokens swapped for other JSON values, characters deleted, duplicated or flipped, truncation, random bytes — fed
 * through {@link Decoders} and counted by {@link FuzzTally}.
 */
public final class JsonFuzz {
    private static final String[] VALUES = {"null", "true", "-1", "0", "1e308", "-1e308", "\"\"", "\"x\"", "[]", "{}",
            "NaN", "\"NaN\"", "1.5", "99999999999999999999", "\"2026-13-45T99:99:99Z\"", "\"1970-01-01T00:00:00Z\"",
            "\"lb\"", "\"kPa\"", "\"[degF]\"", "\"mmol/L\"", "\"85354-9\"", "\"8480-6\"", "\"2A35\"", "\"zz\""};

    private JsonFuzz() {
    }

    public static FuzzTally run(int count, long seed, List<String> seeds, Function<byte[], Normalized> decode) {
        Random random = new Random(seed);
        FuzzTally tally = new FuzzTally(b -> new String(b, StandardCharsets.UTF_8));
        for (int i = 0; i < count; i++) {
            byte[] input = mutate(random, seeds.get(random.nextInt(seeds.size())));
            tally.add(input, () -> decode.apply(input));
        }
        tally.assertSound();
        return tally;
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
