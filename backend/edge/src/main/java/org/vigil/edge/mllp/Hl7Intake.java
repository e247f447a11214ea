package org.vigil.edge.mllp;

import jakarta.inject.Singleton;
import org.vigil.core.ErrorCode;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Payload;
import org.vigil.normalize.Problem;
import org.vigil.normalize.hl7.Hl7Text;
import org.vigil.normalize.hl7.Hl7v2Decoder;
import org.vigil.normalize.hl7.MshHeader;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Decides what an HL7 v2 message deserves, without side effects: decoded the way the ingest consumer will decode
 * it, plus the IHE PCD-01 profile check.
 * <ul>
 * <li>AR: a type or version the decoder never takes (ACKs, ADTs, v2.5);</li>
 * <li>AE: unparseable, not conformant to PCD-01, or nothing in it usable;</li>
 * <li>AA: otherwise, with a warning for each part that cannot be used.</li>
 * </ul>
 */
@Singleton
public class Hl7Intake {
    private final Decoders decoders;
    private final Pcd01Conformance conformance;

    public Hl7Intake(Decoders decoders, Pcd01Conformance conformance) {
        this.decoders = decoders;
        this.conformance = conformance;
    }

    public Verdict assess(TenantId tenant, byte[] message, Instant received) {
        String text = Hl7Text.decode(message);
        MshHeader msh = MshHeader.read(text).orElse(null);
        String sender = SenderToken.of(msh);
        Normalized n = decoders.decode(new Payload(tenant, Hl7v2Decoder.FORMAT, sender, message, received));
        if (n.isRejected()) {
            ErrorCode first = n.problems().get(0).code();
            if (first == ErrorCode.UNSUPPORTED_MESSAGE) {
                return new Verdict(AckCode.AR, msh, sender, errors(n.problems(), false), 0);
            }
            if (first == ErrorCode.MALFORMED_PAYLOAD) {
                return new Verdict(AckCode.AE, msh, sender, errors(n.problems(), false), 0);
            }
        }
        List<AckError> violations = conformance.violations(text);
        if (!violations.isEmpty()) {
            List<AckError> all = new ArrayList<>(violations);
            all.addAll(errors(n.problems(), false));
            return new Verdict(AckCode.AE, msh, sender, cap(all), 0);
        }
        if (n.isRejected()) {
            return new Verdict(AckCode.AE, msh, sender, errors(n.problems(), false), 0);
        }
        return new Verdict(AckCode.AA, msh, sender, errors(n.problems(), true), n.readings().size());
    }

    private static List<AckError> errors(List<Problem> problems, boolean warnings) {
        return cap(problems.stream().map(p -> AckError.of(p, warnings)).toList());
    }

    /** An acknowledgement is read by people fixing a gateway: the first few errors say what to fix. */
    private static List<AckError> cap(List<AckError> errors) {
        return errors.size() <= Pcd01Conformance.MAX_VIOLATIONS ? errors : errors.subList(0, Pcd01Conformance.MAX_VIOLATIONS);
    }
}
