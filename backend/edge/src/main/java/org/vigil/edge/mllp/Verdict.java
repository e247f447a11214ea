package org.vigil.edge.mllp;

import io.micronaut.core.annotation.Nullable;
import org.vigil.normalize.hl7.MshHeader;

import java.util.List;

/**
 * What a message deserves before anything is published: AA (to be put on the stream; {@code errors} are warnings
 * about parts that cannot be used), AE or AR with the errors for the ERR segments.
 *
 * @param msh      the message's header, null when it has none that can be read (the ACK then echoes nothing)
 * @param sender   the subject token of the sending gateway (MSH-3's EUI-64 or namespace id)
 * @param readings how many readings the message yields
 */
public record Verdict(AckCode code, @Nullable MshHeader msh, String sender, List<AckError> errors, int readings) {

    public Verdict {
        errors = List.copyOf(errors);
    }
}
