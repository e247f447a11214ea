package org.vigil.ingest.internal;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.DeadLetter;
import org.vigil.core.ErrorCode;
import org.vigil.core.TenantId;
import org.vigil.normalize.Normalized;

import java.time.Instant;

/**
 * One message and what the edge made of it: readings still to be resolved to a patient, problems, device status.
 *
 * @param tenant      null when the subject names no valid tenant (then {@code normalized} says so)
 * @param mayBeStored its readings may already be in the store (a re-submitted dead letter, a drift-corrected
 *                    time): the writer must check content hashes rather than trust the stream's dedup
 */
record Decoded(Envelope envelope, @Nullable TenantId tenant, String format, Normalized normalized, boolean mayBeStored) {

    /** Where a message came from: kept with its readings so that any later stage can still dead-letter it. */
    record Envelope(String tenant, String subject, byte[] payload, Instant received, long streamSeq) {
        DeadLetter reject(ErrorCode code, String reason) {
            return new DeadLetter(tenant, subject, code, reason, payload, received, streamSeq);
        }
    }
}
