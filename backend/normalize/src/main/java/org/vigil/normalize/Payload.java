package org.vigil.normalize;

import org.vigil.core.Subjects;
import org.vigil.core.TenantId;

import java.time.Instant;
import java.util.Optional;

/**
 * One message as it arrived, before decoding.
 *
 * @param subjectDevice the device token of the subject it arrived on ({@code vigil.<t>.ingest.<format>.<device>}),
 *                      empty when the subject has none; formats whose payload names no device use it
 * @param received      when Vigil received it (the stream's timestamp): the reference for device clock drift
 */
public record Payload(TenantId tenant, String format, String subjectDevice, byte[] bytes, Instant received) {

    /** A message on {@code vigil.<tenant>.ingest.<format>.<device>}; empty when its subject names no valid tenant. */
    public static Optional<Payload> ofMessage(String subject, byte[] bytes, Instant received) {
        String tenant = Subjects.tenantOf(subject).orElse("");
        if (!TenantId.isValid(tenant)) {
            return Optional.empty();
        }
        return Optional.of(new Payload(new TenantId(tenant), Subjects.formatOf(subject).orElse(""),
                Subjects.deviceOf(subject).orElse(""), bytes, received));
    }
}
