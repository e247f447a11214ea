package org.vigil.ehr.auth;

import java.security.SecureRandom;
import java.util.Base64;

/** Key-encryption keys for tests, in the form the configuration takes (base64 of 32 bytes). */
final class Keks {
    private static final SecureRandom RANDOM = new SecureRandom();

    private Keks() {
    }

    static String random() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return Base64.getEncoder().encodeToString(k);
    }

    static KeySealer sealer() {
        return new KeySealer(random());
    }
}
