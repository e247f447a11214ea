package org.vigil.ehr.auth;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;

/**
 * One of a tenant's signing keys as administrators see it: never the private key.
 *
 * @param status {@code next} (published, not signing yet), {@code active} (signing) or {@code retired}
 *               (published until removed, so assertions signed just before a rotation still verify)
 */
public record KeyView(String kid, String algorithm, String status, Instant createdAt, @Nullable Instant activatedAt,
                      @Nullable Instant retiredAt) {
}
