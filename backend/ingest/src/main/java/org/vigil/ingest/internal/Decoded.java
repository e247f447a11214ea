package org.vigil.ingest.internal;

import org.vigil.core.DeadLetter;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;

import java.time.Instant;
import java.util.List;

/** The outcome of decoding one message: a reading still to be resolved to a patient, or a dead letter. */
sealed interface Decoded {

    /** Where a message came from: kept with the reading so that any later stage can still dead-letter it. */
    record Envelope(String tenant, String subject, byte[] payload, Instant received, long streamSeq) {
        DeadLetter reject(ErrorCode code, String reason) {
            return new DeadLetter(tenant, subject, code, reason, payload, received, streamSeq);
        }
    }

    record Unresolved(Envelope envelope, TenantId tenant, String device, String code, List<Measurement> measurements,
                      Instant effective, String sourceFormat, String contentHash) implements Decoded {
    }

    record Rejected(DeadLetter deadLetter) implements Decoded {
    }
}
