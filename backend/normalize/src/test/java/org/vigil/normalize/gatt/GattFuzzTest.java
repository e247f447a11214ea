package org.vigil.normalize.gatt;

import org.junit.jupiter.api.Test;
import org.vigil.core.ErrorCode;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.FuzzTally;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;
import org.vigil.normalize.Problem;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * 100,000 random and mutated notifications (seeded, so a failure replays) through {@link Decoders} as ingest runs
 * it: nothing escapes, nothing vanishes (each input ends as readings, problems, or both), no decoder bug is
 * hidden behind {@code Decoders}' catch-all, and the counts add up.
 */
class GattFuzzTest {
    private static final int INPUTS = 100_000;
    private static final long SEED = 20261121L;
    private static final Instant RECEIVED = Instant.parse("2026-11-21T08:00:00Z");
    private static final TenantId ACME = new TenantId("acme");
    private static final String[] SUPPORTED = {"2A35", "2A9D", "2A18", "2A5E", "2A5F", "2A37", "2A1C"};
    private static final String[] UNSUPPORTED = {"2A19", "2A36", "2A1E", "2A34", "FFFF", "0000", "180D",
            "0000180d-0000-1000-8000-00805f9b34fb", "6e400003-b5a3-f393-e0a9-e50e24dcca9e", "hello", "", "0x2A3",
            "2A355", "0x", "2A35 2A35"};
    private static final String[] OFFSETS = {"+01:00", "-05:00", "Z", "+05:30", "+14:00", "-12:00", "+00:00", "-03:30"};
    private static final String[] BAD_OFFSETS = {"+25:00", "CET", "", "1"};
    private static final Ieee11073Float.Special[] SPECIALS = Ieee11073Float.Special.values();
    private static final String JSON_NOISE = "{}[]\":,\\ x0\u0000";
    private static final String[] NOT_JSON = {"", " ", "{", "}", "[", "null", "true", "42", "\"2A35\"", "{}", "[]",
            "{\"characteristic\":null,\"hex\":null}", "{\"characteristic\":[],\"hex\":{}}", "\u0000\u00ff"};

    @Test
    void noInputEscapesOrVanishes() {
        Decoders decoders = new Decoders(List.of(new GattFormatDecoder(GattCorpus.JSON, new GattObservations())),
                new Normalizer(NormalizeSettings.defaults()));
        List<byte[]> seeds = GattCorpus.cases().stream().map(GattCorpus.Case::bytes).toList();
        List<String> seedCharacteristics = GattCorpus.cases().stream().map(GattCorpus.Case::characteristic).toList();
        Random rnd = new Random(SEED);
        FuzzTally tally = new FuzzTally(GattFuzzTest::text);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpuStart = threads.getCurrentThreadCpuTime();
        long start = System.nanoTime();
        for (int i = 0; i < INPUTS; i++) {
            byte[] json = input(rnd, seeds, seedCharacteristics);
            String subjectDevice = rnd.nextInt(5) == 0 ? "" : "AA_BB_CC_DD_EE_FF";
            Normalized n = tally.add(json, () -> decoders.decode(new Payload(ACME, "gatt", subjectDevice, json, RECEIVED)));
            for (Problem p : n.problems()) {
                if (p.code() == ErrorCode.MALFORMED_PAYLOAD) {
                    assertNotNull(p.location(), p::reason);
                }
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;
        long cpuMillis = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
        System.out.printf("GATT fuzz (seed %d) in %d ms (%d ms CPU): %s%n", SEED, millis, cpuMillis, tally);
        tally.assertSound();
        // the mix must reach every outcome, or the fuzzer has stopped exercising the decoder
        assertTrue(tally.accepted() > 1_000 && tally.partial() > 100 && tally.rejected() > 1_000, tally.toString());
        for (ErrorCode code : List.of(ErrorCode.MALFORMED_JSON, ErrorCode.MALFORMED_PAYLOAD, ErrorCode.INVALID_READING,
                ErrorCode.UNSUPPORTED_CODE, ErrorCode.NOT_A_NUMBER, ErrorCode.IMPLAUSIBLE_VALUE, ErrorCode.CLOCK_ERROR)) {
            assertTrue(tally.problems().getOrDefault(code, 0) > 0, "no input ended as " + code);
        }
    }

    private static byte[] input(Random rnd, List<byte[]> seeds, List<String> seedCharacteristics) {
        int kind = rnd.nextInt(100);
        if (kind < 60) {
            int s = rnd.nextInt(seeds.size());
            String characteristic = rnd.nextInt(10) < 7 ? seedCharacteristics.get(s) : characteristic(rnd);
            return wrap(rnd, characteristic, hex(rnd, mutate(rnd, seeds.get(s))));
        }
        if (kind < 80) {
            byte[] value = new byte[rnd.nextInt(24)];
            rnd.nextBytes(value);
            return wrap(rnd, characteristic(rnd), hex(rnd, value));
        }
        if (kind < 92) {
            byte[] json = wrap(rnd, characteristic(rnd), hex(rnd, seeds.get(rnd.nextInt(seeds.size()))));
            return garble(rnd, json);
        }
        return strange(rnd, seeds);
    }

    /** Bit flips, truncation, extension, overwritten bytes: one or a few of them. */
    private static byte[] mutate(Random rnd, byte[] seed) {
        byte[] v = seed.clone();
        int mutations = 1 + rnd.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            switch (rnd.nextInt(6)) {
                case 0, 1 -> {
                    if (v.length > 0) {
                        int bit = rnd.nextInt(v.length * 8);
                        v[bit / 8] ^= (byte) (1 << bit % 8);
                    }
                }
                case 2 -> v = Arrays.copyOf(v, v.length == 0 ? 0 : rnd.nextInt(v.length));
                case 4 -> {
                    // a special value (NaN, NRes, ±INF, reserved) where a number may be
                    Ieee11073Float.Special special = SPECIALS[rnd.nextInt(SPECIALS.length)];
                    if (v.length >= 5 && rnd.nextBoolean()) {
                        int at = 1 + rnd.nextInt(v.length - 4);
                        int bits = special.float32();
                        v[at] = (byte) bits;
                        v[at + 1] = (byte) (bits >> 8);
                        v[at + 2] = (byte) (bits >> 16);
                        v[at + 3] = (byte) (bits >> 24);
                    } else if (v.length >= 3) {
                        int at = 1 + rnd.nextInt(v.length - 2);
                        v[at] = (byte) special.sfloat();
                        v[at + 1] = (byte) (special.sfloat() >> 8);
                    }
                }
                case 3 -> {
                    int old = v.length;
                    v = Arrays.copyOf(v, old + 1 + rnd.nextInt(4));
                    for (int i = old; i < v.length; i++) {
                        v[i] = (byte) rnd.nextInt(256);
                    }
                }
                default -> {
                    if (v.length > 0) {
                        v[rnd.nextInt(v.length)] = (byte) rnd.nextInt(256);
                    }
                }
            }
        }
        return v;
    }

    private static String characteristic(Random rnd) {
        if (rnd.nextInt(4) == 0) {
            return UNSUPPORTED[rnd.nextInt(UNSUPPORTED.length)];
        }
        String c = SUPPORTED[rnd.nextInt(SUPPORTED.length)];
        return switch (rnd.nextInt(4)) {
            case 0 -> c;
            case 1 -> "0x" + c.toLowerCase(Locale.ROOT);
            case 2 -> "0000" + c.toLowerCase(Locale.ROOT) + "-0000-1000-8000-00805f9b34fb";
            default -> c.toLowerCase(Locale.ROOT);
        };
    }

    private static String hex(Random rnd, byte[] value) {
        String hex = rnd.nextBoolean() ? HexFormat.of().withUpperCase().formatHex(value) : HexFormat.of().formatHex(value);
        return rnd.nextBoolean() ? hex : hex.replaceAll("(..)(?!$)", "$1 ");
    }

    private static byte[] wrap(Random rnd, String characteristic, String hex) {
        StringBuilder json = new StringBuilder("{");
        if (rnd.nextInt(4) != 0) {
            json.append("\"device\":\"AA:BB:CC:DD:EE:FF\",");
        }
        json.append("\"characteristic\":\"").append(characteristic).append("\",\"hex\":\"").append(hex).append('"');
        if (rnd.nextInt(10) < 7) {
            json.append(",\"time\":\"").append(RECEIVED.minusSeconds(rnd.nextInt(600))).append('"');
        }
        if (rnd.nextBoolean()) {
            String offset = rnd.nextInt(20) == 0 ? BAD_OFFSETS[rnd.nextInt(BAD_OFFSETS.length)]
                    : OFFSETS[rnd.nextInt(OFFSETS.length)];
            json.append(",\"utcOffset\":\"").append(offset).append('"');
        }
        return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A well-formed wrapper with characters deleted, inserted or replaced, or cut off. */
    private static byte[] garble(Random rnd, byte[] json) {
        byte[] g = json.clone();
        switch (rnd.nextInt(4)) {
            case 0 -> g = Arrays.copyOf(g, rnd.nextInt(g.length));
            case 1 -> g[rnd.nextInt(g.length)] = (byte) JSON_NOISE.charAt(rnd.nextInt(JSON_NOISE.length()));
            case 2 -> {
                int at = rnd.nextInt(g.length);
                byte[] longer = new byte[g.length + 1];
                System.arraycopy(g, 0, longer, 0, at);
                longer[at] = (byte) rnd.nextInt(256);
                System.arraycopy(g, at, longer, at + 1, g.length - at);
                g = longer;
            }
            default -> {
                int at = rnd.nextInt(g.length);
                byte[] shorter = new byte[g.length - 1];
                System.arraycopy(g, 0, shorter, 0, at);
                System.arraycopy(g, at + 1, shorter, at, g.length - at - 1);
                g = shorter;
            }
        }
        return g;
    }

    /** JSON of the wrong shape, fields of the wrong type, random bytes. */
    private static byte[] strange(Random rnd, List<byte[]> seeds) {
        String hex = HexFormat.of().formatHex(seeds.get(rnd.nextInt(seeds.size())));
        String json = switch (rnd.nextInt(8)) {
            case 0 -> NOT_JSON[rnd.nextInt(NOT_JSON.length)];
            case 1 -> "{\"characteristic\":\"2A35\",\"hex\":" + rnd.nextInt() + "}";
            case 2 -> "{\"characteristic\":" + rnd.nextInt(0x10000) + ",\"hex\":\"" + hex + "\"}";
            case 3 -> "{\"device\":7,\"characteristic\":\"2A35\",\"hex\":\"" + hex + "\"}";
            case 4 -> "{\"characteristic\":\"2A37\",\"hex\":\"" + hex + "\",\"time\":\"" + rnd.nextLong() + "\"}";
            case 5 -> "{\"characteristic\":\"2A37\",\"hex\":\"" + hex.substring(0, hex.length() - 1) + "\"}";
            case 6 -> "{\"characteristic\":\"2A37\",\"hex\":\"" + hex.replace('0', 'g') + "\"}";
            default -> null;
        };
        if (json != null) {
            return json.getBytes(StandardCharsets.UTF_8);
        }
        byte[] noise = new byte[rnd.nextInt(64)];
        rnd.nextBytes(noise);
        return noise;
    }

    private static String text(byte[] json) {
        return new String(json, StandardCharsets.UTF_8);
    }
}
