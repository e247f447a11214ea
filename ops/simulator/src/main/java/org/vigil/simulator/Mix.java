package org.vigil.simulator;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Pure hashing helpers that turn (tenant, index, salt) into stable numbers. Everything the simulator derives
 * goes through here rather than through {@link java.util.Random} so that a fleet is the same on every JVM and
 * patient 7 does not change when the fleet grows from 50 to 500 patients.
 */
final class Mix {
    private Mix() {
    }

    /** SplitMix64's finalizer: a bijection on 64 bits with good avalanche. */
    static long mix64(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    static long combine(long a, long b) {
        return mix64(a * 0x9E3779B97F4A7C15L + b);
    }

    static long combine(long a, long b, long c) {
        return combine(combine(a, b), c);
    }

    /** A stable 64-bit hash of a string (FNV-1a folded through mix64); String.hashCode is only 32 bits. */
    static long hash(String s) {
        long h = 0xCBF29CE484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001B3L;
        }
        return mix64(h);
    }

    static UUID nameUuid(String name) {
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
