package org.vigil.ehr.internal;

import io.micronaut.core.annotation.Nullable;

import java.util.UUID;

/**
 * What became of one item in one send.
 *
 * @param remoteId  the EHR's id of what was created or found (Observation/123), on delivery
 * @param controlId the HL7 message control id the item went under
 * @param ackCode   the HL7 acknowledgement code received (AA, AE, AR)
 * @param held      why the item is held ({@code patient-not-found}, {@code patient-ambiguous} …), for HELD
 */
record Outcome(UUID itemId, Result result, String detail, @Nullable String remoteId, @Nullable String controlId,
               @Nullable String ackCode, @Nullable String held) {

    enum Result {
        /** Acknowledged: done. */
        DELIVERED("delivered"),
        /** The EHR refused this item (4xx, AE): tried again with backoff, dead-lettered after the limit. */
        REFUSED("refused"),
        /** The EHR refused it for good (AR): dead-lettered at once. */
        REJECTED("rejected"),
        /** The endpoint could not be reached or did not answer: tried again, never counted against the item. */
        UNREACHABLE("unreachable"),
        /** Not sendable until someone acts (the patient is unknown or ambiguous at the EHR). */
        HELD("held"),
        /** Not tried in this send (an earlier item of the same patient failed, or the send was cut short). */
        SKIPPED("skipped");

        private final String reason;

        Result(String reason) {
            this.reason = reason;
        }

        String reason() {
            return reason;
        }
    }

    static Outcome of(UUID item, Result result, String detail) {
        return new Outcome(item, result, detail, null, null, null, null);
    }

    static Outcome held(UUID item, String reason, String detail) {
        return new Outcome(item, Result.HELD, detail, null, null, null, reason);
    }

    static Outcome delivered(UUID item, String detail, @Nullable String remoteId, @Nullable String controlId,
                             @Nullable String ackCode) {
        return new Outcome(item, Result.DELIVERED, detail, remoteId, controlId, ackCode, null);
    }

    Outcome withHl7(String controlId, @Nullable String ackCode) {
        return new Outcome(itemId, result, detail, remoteId, controlId, ackCode, held);
    }
}
