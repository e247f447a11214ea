package org.vigil.ehr.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KeySealerTest {
    private static final byte[] SECRET = "-----a PKCS#8 private key, say-----".getBytes(StandardCharsets.US_ASCII);
    private static final String CONTEXT = "ehr_signing_keys/acme/kid-1";

    private final String kek = Keks.random();
    private final KeySealer sealer = new KeySealer(kek);

    @Test
    void roundTripsAndNeverRepeatsACiphertext() {
        byte[] a = sealer.seal(SECRET, CONTEXT);
        byte[] b = sealer.seal(SECRET, CONTEXT);
        assertArrayEquals(SECRET, sealer.unseal(a, CONTEXT));
        assertArrayEquals(SECRET, new KeySealer(kek).unseal(b, CONTEXT), "another instance with the same KEK");
        assertFalse(Arrays.equals(a, b), "a fresh nonce per seal");
        assertEquals(1, a[0], "format version 1");
        assertEquals(1 + 4 + 12 + SECRET.length + 16, a.length, "version, kek id, nonce, ciphertext, tag");
        assertFalse(new String(a, StandardCharsets.ISO_8859_1).contains("PKCS#8"), "no plaintext in the sealed form");
    }

    @Test
    void aValueSealedUnderAnotherKekFailsSayingSo() {
        byte[] sealed = sealer.seal(SECRET, CONTEXT);
        KeySealer other = Keks.sealer();
        KeySealer.SealedValueInvalid e = assertThrows(KeySealer.SealedValueInvalid.class, () -> other.unseal(sealed, CONTEXT));
        assertTrue(e.getMessage().contains("another key-encryption key"), e.getMessage());
    }

    @Test
    void anyAlteredByteFailsAuthentication() {
        byte[] sealed = sealer.seal(SECRET, CONTEXT);
        // every byte: version, kek id, nonce, ciphertext and tag
        for (int i = 0; i < sealed.length; i++) {
            byte[] altered = sealed.clone();
            altered[i] ^= 0x01;
            assertThrows(KeySealer.SealedValueInvalid.class, () -> sealer.unseal(altered, CONTEXT), "byte " + i);
        }
        assertThrows(KeySealer.SealedValueInvalid.class, () -> sealer.unseal(Arrays.copyOf(sealed, sealed.length - 1), CONTEXT));
        assertThrows(KeySealer.SealedValueInvalid.class, () -> sealer.unseal(new byte[10], CONTEXT));
    }

    @Test
    void aValueMovedToAnotherContextDoesNotUnseal() {
        byte[] sealed = sealer.seal(SECRET, CONTEXT);
        KeySealer.SealedValueInvalid e = assertThrows(KeySealer.SealedValueInvalid.class,
                () -> sealer.unseal(sealed, "ehr_signing_keys/globex/kid-1"));
        assertTrue(e.getMessage().contains("another context"), e.getMessage());
    }

    @Test
    void withoutAKekItStartsButFailsClosedAtFirstUseNamingTheSetting() {
        for (String missing : new String[] {null, "", "  "}) {
            KeySealer none = new KeySealer(missing);
            assertFalse(none.available());
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> none.seal(SECRET, CONTEXT));
            assertTrue(e.getMessage().contains("vigil.ehr.key-encryption-key") && e.getMessage().contains("VIGIL_EHR_KEK"),
                    e.getMessage());
            assertThrows(IllegalStateException.class, () -> none.unseal(new byte[40], CONTEXT));
        }
        assertTrue(sealer.available());
    }

    @Test
    void aMalformedKekFailsAtFirstUseWithTheReason() {
        KeySealer short16 = new KeySealer(Base64.getEncoder().encodeToString(new byte[16]));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> short16.seal(SECRET, CONTEXT));
        assertTrue(e.getMessage().contains("exactly 32 bytes") && e.getMessage().contains("16"), e.getMessage());
        KeySealer notBase64 = new KeySealer("not base64!");
        e = assertThrows(IllegalStateException.class, () -> notBase64.seal(SECRET, CONTEXT));
        assertTrue(e.getMessage().contains("not valid base64"), e.getMessage());
    }
}
