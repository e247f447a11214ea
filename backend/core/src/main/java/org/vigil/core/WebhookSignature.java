package org.vigil.core;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;

/**
 * The {@code Vigil-Signature} header of a vendor webhook:
 * {@code t=<unix seconds>,nonce=<16–128 chars>,key=<key id>,v1=<hex HMAC-SHA256>}, where the HMAC is taken with
 * the tenant's secret over {@code t + "." + nonce + "." + body}. The timestamp bounds how long a captured request
 * could be replayed; the nonce, remembered for that long, stops replays inside the window.
 */
public record WebhookSignature(long timestamp, String nonce, String keyId, byte[] mac) {
    public static final String HEADER = "Vigil-Signature";

    /** The header's fields, or an exception whose message says what is wrong with it. */
    public static WebhookSignature parse(String header) {
        if (header == null || header.isBlank()) {
            throw new IllegalArgumentException("Missing " + HEADER + " header.");
        }
        Map<String, String> f = new HashMap<>();
        for (String part : header.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                f.put(part.substring(0, eq).strip(), part.substring(eq + 1).strip());
            }
        }
        for (String required : new String[]{"t", "nonce", "key", "v1"}) {
            if (!f.containsKey(required)) {
                throw new IllegalArgumentException(HEADER + " lacks '" + required + "=' (expected t=…,nonce=…,key=…,v1=…).");
            }
        }
        String nonce = f.get("nonce");
        if (!nonce.matches("[A-Za-z0-9_-]{16,128}")) {
            throw new IllegalArgumentException("The nonce must be 16–128 characters of [A-Za-z0-9_-].");
        }
        try {
            return new WebhookSignature(Long.parseLong(f.get("t")), nonce, f.get("key"), HexFormat.of().parseHex(f.get("v1")));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(HEADER + ": 't' must be Unix seconds and 'v1' hexadecimal.");
        }
    }

    /** Null when the request is acceptable at {@code now}, else why not. */
    public String check(byte[] secret, byte[] body, Instant now, Duration tolerance) {
        Instant signedAt = Instant.ofEpochSecond(timestamp);
        if (Duration.between(signedAt, now).abs().compareTo(tolerance) > 0) {
            return "Signature timestamp " + signedAt + " is more than " + tolerance.toMinutes()
                    + " minutes from our clock (" + now + "): re-sign the request when sending it.";
        }
        if (!MessageDigest.isEqual(sign(secret, timestamp, nonce, body), mac)) {
            return "Signature does not match the body (HMAC-SHA256 of t.nonce.body with key '" + keyId + "').";
        }
        return null;
    }

    public static byte[] sign(byte[] secret, long timestamp, String nonce, byte[] body) {
        try {
            Mac hmac = Mac.getInstance("HmacSHA256");
            hmac.init(new SecretKeySpec(secret, "HmacSHA256"));
            hmac.update((timestamp + "." + nonce + ".").getBytes(StandardCharsets.US_ASCII));
            return hmac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JRE has HmacSHA256", e);
        }
    }

    /** The header a sender puts on a request (used by our simulator and tests). */
    public static String header(byte[] secret, String keyId, long timestamp, String nonce, byte[] body) {
        return "t=" + timestamp + ",nonce=" + nonce + ",key=" + keyId + ",v1=" + HexFormat.of().formatHex(sign(secret, timestamp, nonce, body));
    }
}
