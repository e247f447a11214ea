package org.vigil.ehr.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.v26.datatype.CWE;
import ca.uhn.hl7v2.model.v26.datatype.HD;
import ca.uhn.hl7v2.model.v26.datatype.NM;
import ca.uhn.hl7v2.model.v26.datatype.XPN;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.MSH;
import ca.uhn.hl7v2.model.v26.segment.NTE;
import ca.uhn.hl7v2.model.v26.segment.OBR;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import ca.uhn.hl7v2.model.v26.segment.PID;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.validation.builder.support.NoValidationBuilder;
import io.micronaut.core.annotation.Nullable;
import org.vigil.ehr.PatientIdentity;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * One ORU^R01 with one OBR, built on HAPI's v2.6 model and encoded by HAPI, which escapes every delimiter in our
 * values. 2.5.1 is sent from the same model: for the fields set here the two versions differ only in data type
 * names (CE/CWE, TS/DTM), not in what is encoded.
 */
final class OruBuilder {
    /**
     * Only encodes, and a parser keeps no per-message state. Validation is off: the values are ours, and the
     * tests parse every shape back with HAPI's validation on.
     */
    private static final Parser PIPE = pipeParser();

    /** MSH-18: what the transport must encode the message with. */
    static final String CHARSET = "UNICODE UTF-8";

    private final ORU_R01 message = new ORU_R01();
    private final ORU_R01_ORDER_OBSERVATION order = message.getPATIENT_RESULT().getORDER_OBSERVATION();

    OruBuilder(Hl7Header h, String controlId, Instant now) {
        write(() -> {
            MSH msh = message.getMSH();
            msh.getFieldSeparator().setValue("|");
            msh.getEncodingCharacters().setValue("^~\\&");
            hd(msh.getSendingApplication(), h.sendingApplication());
            hd(msh.getSendingFacility(), h.sendingFacility());
            hd(msh.getReceivingApplication(), h.receivingApplication());
            hd(msh.getReceivingFacility(), h.receivingFacility());
            msh.getDateTimeOfMessage().setValue(Hl7Times.dtm(now));
            msh.getMessageType().getMessageCode().setValue("ORU");
            msh.getMessageType().getTriggerEvent().setValue("R01");
            msh.getMessageType().getMessageStructure().setValue("ORU_R01");
            msh.getMessageControlID().setValue(controlId);
            msh.getProcessingID().getProcessingID().setValue(h.processingId());
            msh.getVersionID().getVersionID().setValue(h.version());
            // Names and notes are not ASCII-only; the transport writes the message as UTF-8 and says so here.
            msh.getCharacterSet(0).setValue(CHARSET);
            // MSH-15/16 stay empty: original acknowledgement mode, one ACK per message from the receiving
            // application, which is what the dispatcher waits for.
        });
    }

    /** PID-3 {@code value^^^authority^MR}, PID-5 from the display name, PID-7 the birth date. */
    OruBuilder patient(PatientIdentity p, String assigningAuthority) {
        write(() -> {
            PID pid = message.getPATIENT_RESULT().getPATIENT().getPID();
            pid.getPatientIdentifierList(0).getIDNumber().setValue(p.value());
            pid.getPatientIdentifierList(0).getAssigningAuthority().getNamespaceID().setValue(assigningAuthority);
            pid.getPatientIdentifierList(0).getIdentifierTypeCode().setValue("MR");
            PersonName name = PersonName.of(p.displayName());
            XPN xpn = pid.getPatientName(0);
            xpn.getFamilyName().getSurname().setValue(name.family());
            xpn.getGivenName().setValue(name.given());
            xpn.getSecondAndFurtherGivenNamesOrInitialsThereof().setValue(name.middle());
            xpn.getSuffixEgJRorIII().setValue(name.suffix());
            // D, display name: the registry holds a name to show, not necessarily the legal one.
            xpn.getNameTypeCode().setValue("D");
            if (p.birthDate() != null) {
                pid.getDateTimeOfBirth().setValue(Hl7Times.date(p.birthDate()));
            }
        });
        return this;
    }

    /**
     * OBR 1: the filler order number (ours, so namespaced with our application), what was observed, when, and
     * F: the results are final.
     */
    OruBuilder order(String fillerOrderNumber, String sendingApplication, Code service, Instant start,
                     @Nullable Instant end) {
        write(() -> {
            OBR obr = order.getOBR();
            obr.getSetIDOBR().setValue("1");
            obr.getFillerOrderNumber().getEntityIdentifier().setValue(fillerOrderNumber);
            obr.getFillerOrderNumber().getNamespaceID().setValue(sendingApplication.split("\\^", 2)[0]);
            service.into(obr.getUniversalServiceIdentifier());
            obr.getObservationDateTime().setValue(Hl7Times.dtm(start));
            if (end != null) {
                obr.getObservationEndDateTime().setValue(Hl7Times.dtm(end));
            }
            obr.getResultStatus().setValue("F");
        });
        return this;
    }

    /** A note on the whole order (the alert, the device's flags). */
    OruBuilder orderNote(String text) {
        write(() -> note(order.getNTE(order.getNTEReps()), order.getNTEReps(), text));
        return this;
    }

    /** The next OBX, numeric, final; its set id follows the OBX before it. */
    Obx numeric(Code code, String subId, BigDecimal value, String ucum) {
        ORU_R01_OBSERVATION group = order.getOBSERVATION(order.getOBSERVATIONReps());
        write(() -> {
            OBX obx = group.getOBX();
            obx.getSetIDOBX().setValue(String.valueOf(order.getOBSERVATIONReps()));
            obx.getValueType().setValue("NM");
            code.into(obx.getObservationIdentifier());
            obx.getObservationSubID().setValue(subId);
            NM nm = new NM(message);
            nm.setValue(value.toPlainString());
            obx.getObservationValue(0).setData(nm);
            new Code(ucum, ucum, "UCUM").into(obx.getUnits());
            obx.getObservationResultStatus().setValue("F");
        });
        return new Obx(group);
    }

    String encode() {
        try {
            return PIPE.encode(message);
        } catch (HL7Exception e) {
            throw new IllegalStateException("HAPI could not encode an ORU^R01 built from our own values.", e);
        }
    }

    /** A CWE triplet: identifier, text, name of coding system. */
    record Code(String code, String text, String system) {
        void into(CWE cwe) throws HL7Exception {
            cwe.getIdentifier().setValue(code);
            cwe.getText().setValue(text);
            cwe.getNameOfCodingSystem().setValue(system);
        }
    }

    /** The optional fields of one OBX, and the notes that follow it. */
    static final class Obx {
        private final ORU_R01_OBSERVATION group;

        private Obx(ORU_R01_OBSERVATION group) {
            this.group = group;
        }

        Obx abnormalFlag(String flag) {
            write(() -> group.getOBX().getAbnormalFlags(0).setValue(flag));
            return this;
        }

        Obx observed(Instant at) {
            write(() -> group.getOBX().getDateTimeOfTheObservation().setValue(Hl7Times.dtm(at)));
            return this;
        }

        Obx method(Code method) {
            write(() -> method.into(group.getOBX().getObservationMethod(0)));
            return this;
        }

        Obx equipment(String identifier) {
            write(() -> group.getOBX().getEquipmentInstanceIdentifier(0).getEntityIdentifier().setValue(identifier));
            return this;
        }

        Obx note(String text) {
            write(() -> OruBuilder.note(group.getNTE(group.getNTEReps()), group.getNTEReps(), text));
            return this;
        }
    }

    /** PID-1 and NTE-2 are left out: optional, and not in the IHE PCD-01 profile a receiver may check against. */
    private static void note(NTE nte, int setId, String text) throws HL7Exception {
        nte.getSetIDNTE().setValue(String.valueOf(setId));
        nte.getComment(0).setValue(text);
    }

    /** An ER7 HD value: up to three components; delimiters beyond those are escaped by the encoder. */
    private static void hd(HD hd, String value) throws HL7Exception {
        String[] parts = value.split("\\^", 3);
        hd.getNamespaceID().setValue(parts[0]);
        if (parts.length > 1) {
            hd.getUniversalID().setValue(parts[1]);
        }
        if (parts.length > 2) {
            hd.getUniversalIDType().setValue(parts[2]);
        }
    }

    /** HAPI's setters declare HL7Exception for validation we have turned off: one that happens is our bug. */
    private static void write(Fields fields) {
        try {
            fields.set();
        } catch (HL7Exception e) {
            throw new IllegalStateException("HAPI refused a value: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Fields {
        void set() throws HL7Exception;
    }

    private static Parser pipeParser() {
        HapiContext context = new DefaultHapiContext();
        context.setValidationRuleBuilder(new NoValidationBuilder());
        return context.getPipeParser();
    }
}
