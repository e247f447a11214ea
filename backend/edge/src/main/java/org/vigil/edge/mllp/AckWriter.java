package org.vigil.edge.mllp;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.v26.datatype.CWE;
import ca.uhn.hl7v2.model.v26.datatype.EI;
import ca.uhn.hl7v2.model.v26.datatype.ERL;
import ca.uhn.hl7v2.model.v26.datatype.HD;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.model.v26.segment.ERR;
import ca.uhn.hl7v2.model.v26.segment.MSH;
import ca.uhn.hl7v2.parser.Parser;
import io.micronaut.core.annotation.Nullable;
import org.vigil.normalize.hl7.Hl7Location;
import org.vigil.normalize.hl7.Hl7v2Decoder;
import org.vigil.normalize.hl7.MshHeader;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Builds the original-mode acknowledgement (ACK^R01^ACK, v2.6, the IHE PCD-01 ACK profile) for a message:
 * sender and receiver swapped, MSA-2 echoing MSH-10, one ERR per error (ERR-2 location, ERR-3 HL7 code from
 * table 0357, ERR-4 severity, ERR-5 Vigil's stable code, ERR-8 its sentence). HAPI's model does the encoding, so
 * delimiters inside a sentence are escaped.
 */
final class AckWriter {
    /** Who we are in MSH-3 when the sender left MSH-5 (its receiving application) empty. */
    static final String APPLICATION = "VIGIL";
    /** Where ERR-5's codes come from: Vigil's ErrorCode names (a local table, hence the 99 prefix). */
    static final String ERROR_CODE_SYSTEM = "99VIGIL";
    private static final DateTimeFormatter MSH7 = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final Pattern TRIGGER = Pattern.compile("[A-Z0-9]{3}");

    private final Parser parser = Hl7v2Decoder.lenientParser();
    private final Clock clock;

    AckWriter(Clock clock) {
        this.clock = clock;
    }

    /** The ACK's bytes, in UTF-8 when the message said MSH-18 UTF-8, else ISO-8859-1. */
    byte[] write(@Nullable MshHeader in, AckCode code, List<AckError> errors) {
        try {
            ACK ack = new ACK();
            ack.setParser(parser);
            boolean utf8 = in != null && in.field(18).toUpperCase(Locale.ROOT).contains("UTF-8");
            header(ack.getMSH(), in, utf8);
            ack.getMSA().getMsa1_AcknowledgmentCode().setValue(code.name());
            ack.getMSA().getMsa2_MessageControlID().setValue(in == null ? "" : in.controlId());
            for (int i = 0; i < errors.size(); i++) {
                err(ack.getERR(i), errors.get(i));
            }
            Charset charset = utf8 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
            return parser.encode(ack).getBytes(charset);
        } catch (HL7Exception e) {
            // Only reachable through a bug here: every value set above is a plain string
            throw new IllegalStateException("Could not build an HL7 acknowledgement: " + e.getMessage(), e);
        }
    }

    private void header(MSH msh, @Nullable MshHeader in, boolean utf8) throws HL7Exception {
        msh.getMsh1_FieldSeparator().setValue("|");
        msh.getMsh2_EncodingCharacters().setValue("^~\\&");
        boolean named = in != null && !in.component(5, 1).isEmpty();
        hd(msh.getMsh3_SendingApplication(), named ? in : null, 5, APPLICATION);
        hd(msh.getMsh4_SendingFacility(), in, 6, "");
        hd(msh.getMsh5_ReceivingApplication(), in, 3, "");
        hd(msh.getMsh6_ReceivingFacility(), in, 4, "");
        msh.getMsh7_DateTimeOfMessage().setValue(MSH7.format(clock.instant()));
        String trigger = in == null ? "" : in.triggerEvent();
        msh.getMsh9_MessageType().getMsg1_MessageCode().setValue("ACK");
        msh.getMsh9_MessageType().getMsg2_TriggerEvent().setValue(TRIGGER.matcher(trigger).matches() ? trigger : "R01");
        msh.getMsh9_MessageType().getMsg3_MessageStructure().setValue("ACK");
        // PCD-01 allows 20 characters: 80 random bits
        msh.getMsh10_MessageControlID().setValue(UUID.randomUUID().toString().replace("-", "").substring(0, 20));
        String processing = in == null ? "" : in.processingId();
        msh.getMsh11_ProcessingID().getPt1_ProcessingID().setValue(processing.matches("[PTD]") ? processing : "P");
        msh.getMsh12_VersionID().getVid1_VersionID().setValue("2.6");
        msh.getMsh15_AcceptAcknowledgmentType().setValue("NE");
        msh.getMsh16_ApplicationAcknowledgmentType().setValue("NE");
        if (utf8) {
            msh.getMsh18_CharacterSet(0).setValue("UNICODE UTF-8");
        }
        EI profile = msh.getMsh21_MessageProfileIdentifier(0);
        // at most 16 characters in the PCD-01 ACK profile, so not the ORU's "IHE PCD ORU-R01 2006"
        profile.getEi1_EntityIdentifier().setValue("IHE PCD-01 ACK");
        profile.getEi2_NamespaceID().setValue("HL7");
        profile.getEi3_UniversalID().setValue("1.3.6.1.4.1.19376.1.6.1.1.1");
        profile.getEi4_UniversalIDType().setValue("ISO");
    }

    /** Copies HD field {@code field} of the incoming header, or sets {@code fallback} as its namespace id. */
    private static void hd(HD hd, @Nullable MshHeader in, int field, String fallback) throws HL7Exception {
        if (in == null) {
            hd.getHd1_NamespaceID().setValue(fallback);
            return;
        }
        for (int c = 1; c <= 3; c++) {
            ((Primitive) hd.getComponent(c - 1)).setValue(in.component(field, c));
        }
    }

    private static void err(ERR err, AckError e) throws HL7Exception {
        Optional<Hl7Location> where = Hl7Location.parse(e.location());
        if (where.isPresent()) {
            Hl7Location l = where.get();
            ERL erl = err.getErr2_ErrorLocation(0);
            erl.getErl1_SegmentID().setValue(l.segment());
            erl.getErl2_SegmentSequence().setValue(String.valueOf(Math.max(1, l.occurrence())));
            if (l.field() > 0) {
                erl.getErl3_FieldPosition().setValue(String.valueOf(l.field()));
                erl.getErl4_FieldRepetition().setValue("1");
                if (l.component() > 0) {
                    erl.getErl5_ComponentNumber().setValue(String.valueOf(l.component()));
                }
            }
        }
        CWE hl7 = err.getErr3_HL7ErrorCode();
        hl7.getCwe1_Identifier().setValue(String.valueOf(e.hl7Code()));
        hl7.getCwe2_Text().setValue(ca.uhn.hl7v2.ErrorCode.errorCodeFor(e.hl7Code()).getMessage());
        hl7.getCwe3_NameOfCodingSystem().setValue("HL70357");
        err.getErr4_Severity().setValue(e.severity());
        if (e.code() != null) {
            err.getErr5_ApplicationErrorCode().getCwe1_Identifier().setValue(e.code().name());
            err.getErr5_ApplicationErrorCode().getCwe3_NameOfCodingSystem().setValue(ERROR_CODE_SYSTEM);
        }
        err.getErr8_UserMessage().setValue(e.reason());
    }
}
