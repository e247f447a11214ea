package org.vigil.edge.mllp;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Problem;

/**
 * One ERR segment of an acknowledgement: Vigil's stable code and sentence, where in the message (in
 * {@link org.vigil.normalize.hl7.Hl7Location} form), and the HL7 error code (table 0357) a sender's engine reads.
 *
 * @param code    null for an error that is not about the message (the stream or the database did not answer)
 * @param warning true for ERR-4 severity W (a part Vigil could not use in a message it accepted), false for E
 */
public record AckError(@Nullable ErrorCode code, String reason, @Nullable String location, int hl7Code, boolean warning) {

    /** HL7 table 0357: 207 application internal error, the code a sender retries on. */
    public static final int APPLICATION_INTERNAL_ERROR = 207;

    public static AckError of(Problem p, boolean warning) {
        return new AckError(p.code(), p.reason(), p.location(), Hl7ErrorCodes.of(p.code(), p.location()), warning);
    }

    /** ERR-3 207: Vigil could not take the message now; the sender keeps it and sends it again. */
    public static AckError tryAgain(String reason) {
        return new AckError(null, reason, null, APPLICATION_INTERNAL_ERROR, false);
    }

    /** The ERR-4 severity. */
    public String severity() {
        return warning ? "W" : "E";
    }
}
