package org.vigil.normalize.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.parser.ParserConfiguration;
import ca.uhn.hl7v2.validation.builder.support.NoValidationBuilder;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.FormatDecoder;
import org.vigil.normalize.Payload;
import org.vigil.normalize.PayloadRejected;
import org.vigil.normalize.Problem;

import java.time.DateTimeException;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;

/**
 * HL7 v2 ORU^R01 as IHE PCD-01 gateways send it (see {@link AcceptedMessages} for types and versions, and
 * {@link Pcd01Mapper} for the mapping). Parsing is lenient on purpose: HAPI's default validation is off (it rejects
 * messages PCD-01 gateways really send, such as the classic Continua example's PID-13 with the withdrawn XTN.1),
 * every version is read with the v2.6 structures, and an OBX-5 without OBX-2 type is read as text so the mapping
 * can say what is wrong with it. Conformance to the PCD-01 profile is a separate check at the edge, where an
 * acknowledgement can report it; this decoder only needs what it maps.
 */
@Singleton
public class Hl7v2Decoder implements FormatDecoder {
    public static final String FORMAT = "hl7v2";

    private final Parser parser;
    private final Pcd01Mapper mapper;

    public Hl7v2Decoder() {
        this(MdcTable.fromClasspath());
    }

    Hl7v2Decoder(MdcTable table) {
        this.parser = lenientParser();
        this.mapper = new Pcd01Mapper(new ObservationCodes(table));
    }

    /** A PipeParser that reads every HL7 v2 version into the v2.6 model without validating anything. */
    public static Parser lenientParser() {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.6"));
        context.setValidationRuleBuilder(new NoValidationBuilder());
        ParserConfiguration config = context.getParserConfiguration();
        config.setValidating(false);
        config.setAllowUnknownVersions(true);
        config.setDefaultObx2Type("ST");
        config.setInvalidObx2Type("ST");
        return context.getPipeParser();
    }

    @Override
    public String format() {
        return FORMAT;
    }

    @Override
    public Decoding decode(Payload payload) throws PayloadRejected {
        String text = Hl7Text.decode(payload.bytes());
        MshHeader msh;
        try {
            msh = MshHeader.parse(text);
        } catch (IllegalArgumentException e) {
            throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, e.getMessage(), "MSH");
        }
        AcceptedMessages.check(msh);
        ORU_R01 oru = parse(text);
        Pcd01Mapper.Result result;
        try {
            result = mapper.map(oru, offset(msh.field(7)));
        } catch (HL7Exception e) {
            throw malformed(e);
        }
        if (result.observations().isEmpty()) {
            throw nothingUsable(result, text.contains("\rOBX" + msh.fieldSeparator()));
        }
        return new Decoding(result.observations(), result.problems(), List.of());
    }

    private ORU_R01 parse(String text) throws PayloadRejected {
        Message message;
        try {
            message = parser.parse(text);
        } catch (HL7Exception e) {
            throw malformed(e);
        } catch (RuntimeException e) {
            // HAPI throws unchecked exceptions on some broken inputs (e.g. a truncated segment name)
            throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, "The message cannot be parsed as HL7 v2: " + e + ".");
        }
        if (message instanceof ORU_R01 oru) {
            return oru;
        }
        throw new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, "The message was read as " + message.getName()
                + ", not as an ORU^R01 structure.", "MSH-9");
    }

    private static PayloadRejected malformed(HL7Exception e) {
        return new PayloadRejected(ErrorCode.MALFORMED_PAYLOAD, "The message cannot be parsed as HL7 v2: "
                + e.getMessageWithoutLocation().strip() + ".", location(e.getLocation()));
    }

    @Nullable
    private static String location(@Nullable Location l) {
        if (l == null || l.isUnknown() || l.getSegmentName() == null) {
            return null;
        }
        int occurrence = l.getSegmentRepetition() > 1 ? l.getSegmentRepetition() : 0;
        return new Hl7Location(l.getSegmentName(), occurrence, Math.max(0, l.getField()), Math.max(0, l.getComponent())).toString();
    }

    /** MSH-7's offset: the sender's zone, for times sent without one. */
    @Nullable
    private static ZoneOffset offset(String msh7) {
        try {
            return Hl7Time.parse(msh7).offset();
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** @param obxInText whether the text has OBX segments, even where the ORU_R01 structure has no place for them */
    private static PayloadRejected nothingUsable(Pcd01Mapper.Result r, boolean obxInText) {
        if (r.problems().isEmpty() && r.obxCount() == 0) {
            return obxInText
                    ? new PayloadRejected(ErrorCode.INVALID_READING, "The message's OBX segments are not in an OBR "
                    + "group (OBR, then its OBX), so none can be read.", "OBR")
                    : new PayloadRejected(ErrorCode.INVALID_READING, "The message has no OBX segment: it carries no observation.", "OBX");
        }
        if (r.problems().isEmpty()) {
            return new PayloadRejected(ErrorCode.INVALID_READING, "None of the message's " + r.obxCount()
                    + " OBX segments is a numeric measurement below a device (OBX-2 NM or SN, OBX-4 like 1.0.1.1).", "OBX");
        }
        Problem first = r.problems().get(0);
        if (r.problems().size() == 1) {
            return new PayloadRejected(first);
        }
        String all = r.problems().stream().limit(5).map(p -> p.location() + ": " + p.reason()).collect(Collectors.joining(" "));
        String more = r.problems().size() > 5 ? " (and " + (r.problems().size() - 5) + " more)" : "";
        return new PayloadRejected(new Problem(first.code(), "No usable measurement in the message. " + all + more, first.location()));
    }
}
