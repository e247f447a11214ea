package org.vigil.ingest.internal;

import org.vigil.core.DeadLetter;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;

import java.time.Instant;
import java.util.List;

/** The outcome of decoding one message: a reading still to be resolved to a patient, or a dead letter. */
sealed interface Decoded {
    record Unresolved(TenantId tenant, String device, String code, List<Measurement> measurements,
                      Instant effective, Instant received, String sourceFormat, String contentHash) implements Decoded {
    }

    record Rejected(DeadLetter deadLetter) implements Decoded {
    }
}
