package org.vigil.normalize.hl7;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Produces fuzz inputs from seed messages: random bytes, and seeds with one to three mutations each (segments
 * dropped, duplicated or swapped, fields swapped or replaced, delimiters garbled, bytes flipped or inserted,
 * truncation, two messages spliced). Deterministic for a given {@link Random}.
 */
final class Hl7Mutator {
    private static final String DELIMITERS = "|^~\\&";
    private static final String[] TOKENS = {"", "0", "-1", "120", "98.6", "1e999", "NaN", "-0", "+.5", "999999999999999999",
            "1.0.1.1", "1", "0.0.0.1", "a.b", "20240301101500+0100", "20240301", "19700101000000", "29991231235959+1400",
            "266016^MDC_DIM_MMHG^MDC", "150021^MDC_PRESS_BLD_NONINV_SYS^MDC", "150456^MDC_PULS_OXIM_SAT_O2^MDC",
            "67975^MDC_ATTR_TIME_ABS^MDC", "0123456789ABCDEF^EUI-64", "NM", "SN", "ST", "DTM", "CWE", "ORU^R01^ORU_R01",
            "ACK^R01^ACK", "2.5", "2.6", "2.7.1", "\\F\\", "^^^^", "~~", "&&", "x".repeat(300)};

    private final Random random;
    private final List<String> seeds;

    Hl7Mutator(Random random, List<byte[]> seeds) {
        this.random = random;
        this.seeds = seeds.stream().map(b -> new String(b, StandardCharsets.ISO_8859_1)).toList();
    }

    byte[] next() {
        if (random.nextInt(20) == 0) {
            byte[] noise = new byte[random.nextInt(600)];
            random.nextBytes(noise);
            if (random.nextBoolean() && noise.length > 8) {
                System.arraycopy("MSH|^~\\&".getBytes(StandardCharsets.ISO_8859_1), 0, noise, 0, 8);
            }
            return noise;
        }
        String s = seed();
        int mutations = 1 + random.nextInt(3);
        for (int i = 0; i < mutations; i++) {
            s = mutate(s);
        }
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private String seed() {
        return seeds.get(random.nextInt(seeds.size()));
    }

    private String mutate(String s) {
        List<String> segments = new ArrayList<>(Arrays.asList(s.split("\r", -1)));
        int n = segments.size();
        switch (random.nextInt(13)) {
            case 0 -> segments.remove(random.nextInt(n));
            case 1 -> segments.add(random.nextInt(n + 1), segments.get(random.nextInt(n)));
            case 2 -> swap(segments, random.nextInt(n), random.nextInt(n));
            case 3 -> {
                int i = random.nextInt(n);
                List<String> fields = new ArrayList<>(Arrays.asList(segments.get(i).split("\\|", -1)));
                swap(fields, random.nextInt(fields.size()), random.nextInt(fields.size()));
                segments.set(i, String.join("|", fields));
            }
            case 4, 5 -> {
                int i = random.nextInt(n);
                List<String> fields = new ArrayList<>(Arrays.asList(segments.get(i).split("\\|", -1)));
                fields.set(random.nextInt(fields.size()), TOKENS[random.nextInt(TOKENS.length)]);
                segments.set(i, String.join("|", fields));
            }
            case 6 -> {
                return replaceAt(s, randomIndexOf(s, DELIMITERS), pick("|^~\\&#\r\n \u0000\u00ff"));
            }
            case 7 -> {
                return s.length() > 8 ? s.substring(0, 3) + scramble(s.substring(3, 8)) + s.substring(8) : s;
            }
            case 8 -> {
                return s.substring(0, random.nextInt(s.length() + 1));
            }
            case 9 -> {
                int at = random.nextInt(s.length() + 1);
                return s.substring(0, at) + randomText(1 + random.nextInt(20)) + s.substring(at);
            }
            case 10 -> {
                char[] c = s.toCharArray();
                for (int k = 0; k < 1 + random.nextInt(5) && c.length > 0; k++) {
                    c[random.nextInt(c.length)] = (char) random.nextInt(256);
                }
                return new String(c);
            }
            case 11 -> {
                String other = seed();
                return s.substring(0, random.nextInt(s.length() + 1)) + other.substring(random.nextInt(other.length() + 1));
            }
            default -> {
                // an OBX value, path or unit replaced: what mapping reads rather than what parsing reads
                List<Integer> obx = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (segments.get(i).startsWith("OBX")) {
                        obx.add(i);
                    }
                }
                if (!obx.isEmpty()) {
                    int i = obx.get(random.nextInt(obx.size()));
                    List<String> fields = new ArrayList<>(Arrays.asList(segments.get(i).split("\\|", -1)));
                    int field = new int[]{2, 3, 4, 5, 6, 14, 18}[random.nextInt(7)];
                    while (fields.size() <= field) {
                        fields.add("");
                    }
                    fields.set(field, TOKENS[random.nextInt(TOKENS.length)]);
                    segments.set(i, String.join("|", fields));
                }
            }
        }
        return String.join("\r", segments);
    }

    private int randomIndexOf(String s, String chars) {
        for (int tries = 0; tries < 20 && !s.isEmpty(); tries++) {
            int i = random.nextInt(s.length());
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    private static String replaceAt(String s, int i, char c) {
        return i < 0 ? s : s.substring(0, i) + c + s.substring(i + 1);
    }

    private char pick(String chars) {
        return chars.charAt(random.nextInt(chars.length()));
    }

    private String scramble(String s) {
        char[] c = s.toCharArray();
        for (int i = 0; i < c.length; i++) {
            if (random.nextInt(3) == 0) {
                c[i] = pick("|^~\\&#abc1");
            }
        }
        return new String(c);
    }

    private String randomText(int length) {
        StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(random.nextInt(4) == 0 ? pick(DELIMITERS + "\r") : (char) random.nextInt(256));
        }
        return b.toString();
    }

    private static <T> void swap(List<T> list, int i, int j) {
        T t = list.get(i);
        list.set(i, list.get(j));
        list.set(j, t);
    }
}
