package org.vigil.edge.mllp;

import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.model.v26.segment.ERR;
import ca.uhn.hl7v2.model.v26.segment.MSH;
import ca.uhn.hl7v2.parser.Parser;
import org.junit.jupiter.api.Test;
import org.openehealth.ipf.gazelle.validation.core.CachingGazelleProfileRule;
import org.openehealth.ipf.gazelle.validation.profile.pcd.PcdProfile;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.hl7.Hl7Text;
import org.vigil.normalize.hl7.Hl7v2Decoder;
import org.vigil.normalize.hl7.MshHeader;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-01T12:00:00Z"), ZoneOffset.UTC);
    private static final MshHeader J2 = MshHeader.parse(Hl7Text.decode(EdgeCorpus.bytes(EdgeCorpus.J2_BP)));

    private final AckWriter writer = new AckWriter(CLOCK);
    private final Parser parser = Hl7v2Decoder.lenientParser();

    private ACK parse(byte[] bytes) throws Exception {
        return (ACK) parser.parse(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    @Test
    void anAaEchoesTheControlIdAndSwapsSenderAndReceiver() throws Exception {
        ACK ack = parse(writer.write(J2, AckCode.AA, List.of()));
        MSH msh = ack.getMSH();
        assertEquals("VIGIL", msh.getMsh3_SendingApplication().encode());
        assertEquals("AcmeInc^ACDE48234567ABCD^EUI-64", msh.getMsh5_ReceivingApplication().encode());
        assertEquals("ACK^R01^ACK", msh.getMsh9_MessageType().encode());
        assertEquals("20250601120000+0000", msh.getMsh7_DateTimeOfMessage().getValue());
        assertEquals("2.6", msh.getMsh12_VersionID().encode());
        assertEquals("AA", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("MSGID1234", ack.getMSA().getMsa2_MessageControlID().getValue());
        assertEquals(0, ack.getERRReps());
    }

    @Test
    void theSendersReceivingApplicationAnswersWhenItNamedOne() throws Exception {
        MshHeader in = MshHeader.parse("MSH|^~\\&|GW^0123456789ABCDEF^EUI-64|Ward 3|Monitor^1.2.3^ISO|Hospital|20250601||ORU^R01^ORU_R01|42|T|2.6");
        MSH msh = parse(writer.write(in, AckCode.AA, List.of())).getMSH();
        assertEquals("Monitor^1.2.3^ISO", msh.getMsh3_SendingApplication().encode());
        assertEquals("Hospital", msh.getMsh4_SendingFacility().encode());
        assertEquals("GW^0123456789ABCDEF^EUI-64", msh.getMsh5_ReceivingApplication().encode());
        assertEquals("Ward 3", msh.getMsh6_ReceivingFacility().encode());
        assertEquals("T", msh.getMsh11_ProcessingID().encode());
    }

    @Test
    void anAeCarriesTheLocationCodesSeverityAndSentenceOfEachError() throws Exception {
        String sentence = "OBX-5 'a|b^c~d\\e&f' is not a number.";
        ACK ack = parse(writer.write(J2, AckCode.AE, List.of(
                new AckError(ErrorCode.UNSUPPORTED_CODE, "MDC code 148065 is not in the table.", "OBX-3(4)", 103, false),
                new AckError(ErrorCode.NOT_A_NUMBER, sentence, "MSH-9.2", 102, true))));
        assertEquals("AE", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("MSGID1234", ack.getMSA().getMsa2_MessageControlID().getValue());
        assertEquals(2, ack.getERRReps());
        ERR first = ack.getERR(0);
        assertEquals("OBX^4^3^1", first.getErr2_ErrorLocation(0).encode());
        assertEquals("103^Table value not found^HL70357", first.getErr3_HL7ErrorCode().encode());
        assertEquals("E", first.getErr4_Severity().getValue());
        assertEquals("UNSUPPORTED_CODE^^99VIGIL", first.getErr5_ApplicationErrorCode().encode());
        assertEquals("MDC code 148065 is not in the table.", first.getErr8_UserMessage().getValue());
        ERR second = ack.getERR(1);
        assertEquals("MSH^1^9^1^2", second.getErr2_ErrorLocation(0).encode());
        assertEquals("W", second.getErr4_Severity().getValue());
        assertEquals(sentence, second.getErr8_UserMessage().getValue(), "delimiters in a sentence are escaped and read back");
    }

    @Test
    void aTryAgainHasCode207AndNoVigilCode() throws Exception {
        ERR err = parse(writer.write(J2, AckCode.AE, List.of(AckError.tryAgain("Send it again.")))).getERR(0);
        assertEquals("207^Application internal error^HL70357", err.getErr3_HL7ErrorCode().encode());
        assertEquals("", err.getErr5_ApplicationErrorCode().encode());
        assertEquals("", err.getErr2_ErrorLocation(0).encode());
    }

    @Test
    void withoutAReadableHeaderTheAckEchoesNothing() throws Exception {
        ACK ack = parse(writer.write(null, AckCode.AE, List.of(
                new AckError(ErrorCode.MALFORMED_PAYLOAD, "The message does not start with an MSH segment.", "MSH", 100, false))));
        assertEquals("", ack.getMSA().getMsa2_MessageControlID().encode());
        assertEquals("", ack.getMSH().getMsh5_ReceivingApplication().encode());
        assertEquals("MSH^1", ack.getERR(0).getErr2_ErrorLocation(0).encode());
    }

    @Test
    void aUtf8MessageGetsAUtf8Ack() {
        MshHeader in = MshHeader.parse("MSH|^~\\&|Gerät||||20250601||ORU^R01^ORU_R01|42|P|2.6||||||UNICODE UTF-8");
        String ack = new String(writer.write(in, AckCode.AA, List.of()), StandardCharsets.UTF_8);
        assertTrue(ack.contains("|Gerät|"), ack);
        assertTrue(ack.contains("|UNICODE UTF-8|"), ack);
    }

    /** Our ACKs conform to the IHE PCD-01 ACK profile the Gazelle tools check senders' ACKs against. */
    @Test
    void acksConformToThePcd01AckProfile() throws Exception {
        ca.uhn.hl7v2.DefaultHapiContext context = new ca.uhn.hl7v2.DefaultHapiContext(new ca.uhn.hl7v2.parser.CanonicalModelClassFactory("2.6"));
        context.setValidationRuleBuilder(new ca.uhn.hl7v2.validation.builder.support.NoValidationBuilder());
        context.setProfileStore(new org.openehealth.ipf.gazelle.validation.profile.store.GazelleProfileStore());
        Parser p = context.getPipeParser();
        CachingGazelleProfileRule rule = new CachingGazelleProfileRule(PcdProfile.PCD_1_ACK_R01_DEV_OBS_CONSUMER);
        for (byte[] ack : List.of(writer.write(J2, AckCode.AA, List.of()), writer.write(J2, AckCode.AE,
                List.of(new AckError(ErrorCode.SCHEMA_VIOLATION, "PID-5.7 is missing.", "PID-5.7", 101, false))))) {
            var violations = rule.apply(p.parse(new String(ack, StandardCharsets.ISO_8859_1)));
            assertEquals(List.of(), Arrays.stream(violations).map(Throwable::getMessage).toList());
        }
    }
}
