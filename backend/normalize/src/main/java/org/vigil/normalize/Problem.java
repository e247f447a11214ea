package org.vigil.normalize;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;

/**
 * Why one part of a payload (or all of it) could not be used.
 *
 * @param location where in the payload, in the format's own terms when it has them ({@code OBX-5(3)} for HL7 v2,
 *                 {@code /measurements/2/value} for JSON, {@code byte 7} for GATT); null when it is the whole payload
 */
public record Problem(ErrorCode code, String reason, @Nullable String location) {

    public Problem(ErrorCode code, String reason) {
        this(code, reason, null);
    }
}
