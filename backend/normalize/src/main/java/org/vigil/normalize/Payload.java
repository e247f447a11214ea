package org.vigil.normalize;

import org.vigil.core.TenantId;

import java.time.Instant;

/**
 * One message as it arrived, before decoding.
 *
 * @param subjectDevice the device token of the subject it arrived on ({@code vigil.<t>.ingest.<format>.<device>}),
 *                      empty when the subject has none; formats whose payload names no device use it
 * @param received      when Vigil received it (the stream's timestamp): the reference for device clock drift
 */
public record Payload(TenantId tenant, String format, String subjectDevice, byte[] bytes, Instant received) {
}
