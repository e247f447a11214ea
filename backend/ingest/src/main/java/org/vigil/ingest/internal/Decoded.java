package org.vigil.ingest.internal;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.DeadLetter;
import org.vigil.core.ErrorCode;
import org.vigil.core.TenantId;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.NormalizedReading;

import java.time.Instant;

/**
 * One message and what the edge made of it: readings still to be resolved to a patient, problems, device status.
 *
 * @param tenant      null when the subject names no valid tenant (then {@code normalized} says so)
 * @param resubmitted a dead letter put back on the stream after a fix: its devices are looked up afresh, and its
 *                    readings may already be stored
 */
record Decoded(Envelope envelope, @Nullable TenantId tenant, String format, Normalized normalized, boolean resubmitted) {

    /**
     * Its readings may already be in the store (re-submitted, or a drift-corrected time that differs from an earlier
     * arrival's): the writer must check content hashes rather than trust the stream's dedup and the table's key.
     */
    boolean mayBeStored() {
        return resubmitted || normalized.readings().stream().anyMatch(NormalizedReading::clockCorrected);
    }

    /** Where a message came from: kept with its readings so that any later stage can still dead-letter it. */
    record Envelope(String tenant, String subject, byte[] payload, Instant received, long streamSeq) {
        DeadLetter reject(ErrorCode code, String reason) {
            return new DeadLetter(tenant, subject, code, reason, payload, received, streamSeq);
        }
    }
}
