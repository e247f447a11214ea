package org.vigil.ingest.internal;

import jakarta.inject.Singleton;
import org.vigil.core.ErrorCode;
import org.vigil.core.Subjects;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Payload;
import org.vigil.normalize.Problem;

import java.time.Instant;

/** Reads tenant, format and device from a message's subject and hands the payload to the format's decoder. */
@Singleton
public class MessageDecoder {
    private final Decoders decoders;

    public MessageDecoder(Decoders decoders) {
        this.decoders = decoders;
    }

    Decoded decode(String subject, byte[] payload, Instant received, long streamSeq, boolean resubmitted) {
        Decoded.Envelope in = new Decoded.Envelope(Subjects.tenantOf(subject).orElse(""), subject, payload, received, streamSeq);
        String format = Subjects.formatOf(subject).orElse("");
        return Payload.ofMessage(subject, payload, received)
                .map(p -> new Decoded(in, p.tenant(), format, decoders.decode(p), resubmitted))
                .orElseGet(() -> new Decoded(in, null, format, Normalized.rejected(new Problem(ErrorCode.INVALID_SUBJECT,
                        "Subject '" + subject + "' does not name a tenant (expected vigil.<tenant>.ingest.<format>.<device>).")),
                        resubmitted));
    }
}
