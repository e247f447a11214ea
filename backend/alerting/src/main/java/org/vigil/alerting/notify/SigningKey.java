package org.vigil.alerting.notify;

/**
 * A webhook signing key. The receiver finds its copy of the secret by {@code keyId}, which lets a tenant rotate
 * keys without a moment where deliveries fail.
 *
 * @param secret at least 32 bytes: HMAC-SHA256 is only as strong as its key, up to the hash's 32-byte size
 */
public record SigningKey(String keyId, byte[] secret) {
    public SigningKey {
        if (keyId == null || keyId.isBlank() || keyId.contains(",")) {
            throw new IllegalArgumentException("keyId: must be set and must not contain ',' (it goes into the signature header).");
        }
        if (secret == null || secret.length < 32) {
            throw new IllegalArgumentException("secret: a webhook signing secret must be at least 32 bytes.");
        }
        secret = secret.clone();
    }

    @Override
    public byte[] secret() {
        return secret.clone();
    }

    @Override
    public String toString() {
        return "SigningKey[keyId=" + keyId + "]";
    }
}
