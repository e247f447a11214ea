package org.vigil.core;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * Deterministic identity of a reading: SHA-256 over tenant, device, code, effective instant (ms) and the
 * measurements sorted by code, truncated to 128 bits (32 hex chars). Publishers use it as the JetStream
 * {@code Nats-Msg-Id} (server-side dedup) and the ClickHouse key ends in it (storage-side dedup), so the same
 * reading sent twice, by a hub retry or a redelivery after a crash, is stored once.
 * Values are hashed in their shortest decimal form so 81.40 and 81.4 are the same reading.
 */
public final class ContentHash {
    private static final HexFormat HEX = HexFormat.of();

    private ContentHash() {
    }

    /** The hash of a reading as published; {@code effective} is its parsed effective time. */
    public static String of(TenantId tenant, DeviceReading reading, Instant effective) {
        return of(tenant, reading.device(), reading.code(), effective, reading.measurements());
    }

    public static String of(TenantId tenant, String device, String code, Instant effective, List<Measurement> measurements) {
        StringBuilder s = new StringBuilder(128)
                .append(tenant.value()).append('|').append(device).append('|').append(code).append('|')
                .append(effective.toEpochMilli());
        measurements.stream().sorted(Comparator.comparing(Measurement::code)).forEach(m -> s.append('|')
                .append(m.code()).append('=').append(canonical(m.value())).append(' ').append(m.unit()));
        byte[] digest = sha256().digest(s.toString().getBytes(StandardCharsets.UTF_8));
        return HEX.formatHex(digest, 0, 16);
    }

    // The shortest decimal that round-trips the double (Double.toString), without a trailing ".0" for whole
    // numbers: equal doubles always give equal text, whatever text the device sent.
    private static String canonical(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 is cloneable", e);
        }
    }

    // Cloning a digest is much cheaper than looking up a provider for every reading; the prototype itself is
    // never updated.
    private static final MessageDigest SHA256 = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
