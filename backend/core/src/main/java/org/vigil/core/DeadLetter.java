package org.vigil.core;

import java.time.Instant;

/**
 * An input we could not use, kept with its raw bytes so it can be inspected and replayed.
 *
 * @param tenant    the tenant token of the subject (kept as text: it may not be a valid tenant)
 * @param streamSeq position in the ingest stream, or -1 when the input never reached the stream
 */
public record DeadLetter(String tenant, String subject, ErrorCode code, String reason, byte[] payload,
                         Instant receivedAt, long streamSeq) {
}
