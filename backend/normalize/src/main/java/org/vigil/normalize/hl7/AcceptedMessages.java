package org.vigil.normalize.hl7;

import org.vigil.core.ErrorCode;
import org.vigil.normalize.PayloadRejected;

import java.util.Set;

/**
 * Which messages the HL7 v2 decoder reads: ORU^R01 (IHE PCD-01) of version 2.6, the version PCD-01 is defined on,
 * or of a later 2.x version, read as 2.6 (HL7 v2's compatibility rule: later versions only add optional trailing
 * fields and components, which a 2.6 receiver ignores). Earlier versions (2.5, 2.5.1: the 2006 trial-implementation
 * dialect, with CE/TS types and a placeholder profile OID) are refused like other types: an AR, not an AE, because
 * resending the same message will never work.
 * <p>
 * An absent type, trigger or version is a malformed message (AE); a present but different one is unsupported (AR).
 */
final class AcceptedMessages {
    static final Set<String> VERSIONS = Set.of("2.6", "2.7", "2.7.1", "2.8", "2.8.1", "2.8.2", "2.9");

    private AcceptedMessages() {
    }

    static void check(MshHeader msh) throws PayloadRejected {
        String type = msh.messageType();
        String trigger = msh.triggerEvent();
        String structure = msh.component(9, 3);
        if (type.isEmpty()) {
            throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, "MSH-9.1 (message type) is empty.", "MSH-9.1");
        }
        if (!type.equals("ORU")) {
            throw new PayloadRejected(ErrorCode.UNSUPPORTED_MESSAGE, type + (trigger.isEmpty() ? "" : "^" + trigger)
                    + " messages are not accepted here: this receiver takes IHE PCD-01 observations (ORU^R01).", "MSH-9.1");
        }
        if (trigger.isEmpty()) {
            throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, "MSH-9.2 (trigger event) is empty.", "MSH-9.2");
        }
        if (!trigger.equals("R01")) {
            throw new PayloadRejected(ErrorCode.UNSUPPORTED_MESSAGE, "ORU^" + trigger + " messages are not accepted here: "
                    + "this receiver takes IHE PCD-01 observations (ORU^R01).", "MSH-9.2");
        }
        if (!structure.isEmpty() && !structure.equals("ORU_R01")) {
            throw new PayloadRejected(ErrorCode.UNSUPPORTED_MESSAGE, "Message structure " + structure
                    + " is not accepted here: IHE PCD-01 uses ORU_R01.", "MSH-9.3");
        }
        String version = msh.version();
        if (version.isEmpty()) {
            throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, "MSH-12 (version id) is empty.", "MSH-12");
        }
        if (!VERSIONS.contains(version)) {
            throw new PayloadRejected(ErrorCode.UNSUPPORTED_MESSAGE, "HL7 version " + version + " is not accepted: "
                    + "IHE PCD-01 is defined on v2.6 (this receiver also reads 2.7 to 2.9 as 2.6).", "MSH-12");
        }
    }
}
