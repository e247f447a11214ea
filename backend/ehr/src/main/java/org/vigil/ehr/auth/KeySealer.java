package org.vigil.ehr.auth;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Seals secrets at rest (our signing keys' private halves) with AES-256-GCM under the platform's key-encryption
 * key, {@code vigil.ehr.key-encryption-key} (base64 of 32 random bytes; env {@code VIGIL_EHR_KEK}).
 *
 * <p>Sealed format, version 1: {@code 0x01 | kek id (4 bytes) | nonce (12 bytes) | ciphertext + GCM tag (16 bytes)}.
 * The leading version byte lets a later format (or a KEK ring) be introduced without touching stored rows; the
 * KEK id (derived from the KEK, not the KEK itself) says which KEK sealed a value, so a row sealed under another
 * KEK fails with that explanation instead of looking tampered, and a future rotation can pick the right KEK. The
 * header and the caller's context (e.g. tenant and kid) are authenticated as associated data: a sealed value
 * copied onto another tenant's row, or another key's row, does not unseal.
 *
 * <p>A missing or malformed KEK fails only when a key is first needed, with a message naming the setting:
 * deployments without FHIR endpoints never need one and must still start.
 */
@Singleton
public class KeySealer {
    static final String PROPERTY = "vigil.ehr.key-encryption-key";
    private static final byte VERSION_1 = 1;
    private static final int KEK_ID_BYTES = 4;
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final int HEADER_BYTES = 1 + KEK_ID_BYTES + NONCE_BYTES;

    private final SecureRandom random = new SecureRandom();
    /** The KEK and its id; both null when {@link #problem} says why there is none. */
    private final SecretKeySpec kek;
    private final byte[] kekId;
    /** Why there is no usable KEK, reported at first use; null when there is one. */
    private final String problem;

    public KeySealer(@Value("${" + PROPERTY + ":}") @Nullable String base64Kek) {
        byte[] raw = null;
        String why = null;
        if (base64Kek == null || base64Kek.isBlank()) {
            why = "no key-encryption key is configured: set " + PROPERTY
                    + " (env VIGIL_EHR_KEK) to the base64 of 32 random bytes, e.g. `openssl rand -base64 32`";
        } else {
            try {
                raw = Base64.getDecoder().decode(base64Kek.trim());
                if (raw.length != 32) {
                    why = PROPERTY + " must be the base64 of exactly 32 bytes (AES-256); it decodes to " + raw.length;
                }
            } catch (IllegalArgumentException e) {
                why = PROPERTY + " is not valid base64";
            }
        }
        this.problem = why;
        this.kek = why == null ? new SecretKeySpec(raw, "AES") : null;
        this.kekId = why == null ? deriveId(raw) : null;
        if (raw != null) {
            Arrays.fill(raw, (byte) 0);
        }
    }

    /** Whether a KEK is configured and well-formed (for health reporting; sealing fails with the reason if not). */
    public boolean available() {
        return problem == null;
    }

    /**
     * @param context what the value belongs to (authenticated, not stored): the same context must be given to
     *                {@link #unseal}
     */
    public byte[] seal(byte[] plaintext, String context) {
        SecretKeySpec key = requireKek();
        byte[] header = new byte[HEADER_BYTES];
        header[0] = VERSION_1;
        System.arraycopy(kekId, 0, header, 1, KEK_ID_BYTES);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        System.arraycopy(nonce, 0, header, 1 + KEK_ID_BYTES, NONCE_BYTES);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(aad(header, context));
            byte[] sealed = gcm.doFinal(plaintext);
            return ByteBuffer.allocate(HEADER_BYTES + sealed.length).put(header).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not seal: " + e.getMessage(), e);
        }
    }

    /** The plaintext; fails when the value was sealed under another KEK, for another context, or was altered. */
    public byte[] unseal(byte[] sealed, String context) {
        SecretKeySpec key = requireKek();
        if (sealed.length < HEADER_BYTES + TAG_BITS / 8) {
            throw new SealedValueInvalid("sealed value is truncated (" + sealed.length + " bytes)");
        }
        if (sealed[0] != VERSION_1) {
            throw new SealedValueInvalid("unknown sealed format version " + (sealed[0] & 0xff));
        }
        byte[] header = Arrays.copyOfRange(sealed, 0, HEADER_BYTES);
        byte[] id = Arrays.copyOfRange(header, 1, 1 + KEK_ID_BYTES);
        if (!Arrays.equals(id, kekId)) {
            throw new SealedValueInvalid("sealed under another key-encryption key (id " + HexFormat.of().formatHex(id)
                    + "; the configured one is " + HexFormat.of().formatHex(kekId) + ")");
        }
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, header, 1 + KEK_ID_BYTES, NONCE_BYTES));
            gcm.updateAAD(aad(header, context));
            return gcm.doFinal(sealed, HEADER_BYTES, sealed.length - HEADER_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealedValueInvalid("sealed value does not authenticate: altered, or sealed for another context");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not unseal: " + e.getMessage(), e);
        }
    }

    /** A value that cannot be unsealed: never retried, it will not get better. */
    public static final class SealedValueInvalid extends RuntimeException {
        SealedValueInvalid(String message) {
            super(message);
        }
    }

    private SecretKeySpec requireKek() {
        if (problem != null) {
            throw new IllegalStateException(problem);
        }
        return kek;
    }

    private static byte[] aad(byte[] header, String context) {
        byte[] c = context.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(header.length + c.length).put(header).put(c).array();
    }

    /** A public identifier of the KEK: a MAC under it, so it names the key without revealing anything of it. */
    private static byte[] deriveId(byte[] raw) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(raw, "HmacSHA256"));
            return Arrays.copyOf(mac.doFinal("vigil-kek-id".getBytes(StandardCharsets.US_ASCII)), KEK_ID_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
