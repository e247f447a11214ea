package org.vigil.ehr.hl7;

import ca.uhn.hl7v2.AcknowledgmentCode;
import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.idgenerator.InMemoryIDGenerator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigil.core.VitalSign;
import org.vigil.ehr.fhir.Items;

import java.nio.file.Files;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AckTest {
    private static final String MSH = "MSH|^~\\&|EPIC|HOSP|VIGIL|ACME|20250304072001+0000||ACK^R01^ACK|A1|P|2.5.1\r";

    @Test
    void theCorpusAcceptance() throws Exception {
        Ack ack = Ack.parse(Files.readString(Items.corpus("hl7v2/pcd01/ipf-valid-pcd01-response_ACK-AA.hl7")));
        assertEquals(new Ack("AA", "MSGID1234", null), ack);
        assertTrue(ack.accepted());
    }

    @Test
    void theCorpusCommitErrorWithItsErr() throws Exception {
        Ack ack = Ack.parse(Files.readString(Items.corpus("hl7v2/pcd01/ipf-valid-pcd01-response2_ACK-CE-ERR.hl7")));
        assertEquals(new Ack("AE", "20070701132554000008", "Missing required OBR segment"), ack);
        assertFalse(ack.accepted());
    }

    @ParameterizedTest
    @ValueSource(strings = {"AA:AA", "AE:AE", "AR:AR", "CA:AA", "CE:AE", "CR:AR"})
    void commitCodesMapToApplicationCodes(String pair) {
        String[] p = pair.split(":");
        assertEquals(p[1], Ack.parse(MSH + "MSA|" + p[0] + "|CTRL42\r").code());
        assertEquals("CTRL42", Ack.parse(MSH + "MSA|" + p[0] + "|CTRL42\r").controlId());
    }

    @Test
    void msa3IsTheTextAndIsUnescaped() {
        Ack ack = Ack.parse(MSH + "MSA|AR|CTRL42|Unknown patient \\F\\ MRN-1\r");
        assertEquals(new Ack("AR", "CTRL42", "Unknown patient | MRN-1"), ack);
    }

    @Test
    void errSegmentsOfEveryVersionGiveTheirMessage() {
        String v25 = "ERR||PID^1^3|204^Unknown key identifier^HL70357|E||||Patient MRN-1 not found\r";
        String v24 = "ERR|PID^1^3^204&Unknown key identifier&HL70357\r";
        String codeOnly = "ERR||OBX^1|207^^HL70357|E\r";
        assertEquals("Patient MRN-1 not found; Unknown key identifier; 207",
                Ack.parse(MSH + "MSA|AE|C1\r" + v25 + v24 + codeOnly).text());
    }

    @Test
    void lineFeedsAndMllpFramingAreTolerated() {
        String framed = "\u000b" + (MSH + "MSA|AA|C9\r").replace("\r", "\r\n") + "\u001c\r";
        assertEquals(new Ack("AA", "C9", null), Ack.parse(framed));
    }

    /** An ACK made by another implementation (HAPI's) for a message we rendered, accepting and rejecting it. */
    @Test
    void hapisAcknowledgementsOfOurMessage() throws Exception {
        String controlId = OruMessages.controlId("hash-8867-4");
        String oru = OruMessages.reading(Items.reading(VitalSign.HEART_RATE), Items.JANE, "GENHOSP",
                new Hl7Header("VIGIL", "ACME", "EPIC", "HOSP", "2.5.1", "P"), controlId, Instant.parse("2025-03-04T07:20:00Z"));
        DefaultHapiContext context = new DefaultHapiContext();
        // HAPI's default id generator keeps a file (id_file) in the working directory
        context.getParserConfiguration().setIdGenerator(new InMemoryIDGenerator());
        PipeParser parser = context.getPipeParser();
        Message received = parser.parse(oru);

        assertEquals(new Ack("AA", controlId, null), Ack.parse(parser.encode(received.generateACK())));
        Ack rejected = Ack.parse(parser.encode(received.generateACK(AcknowledgmentCode.AE,
                new HL7Exception("Patient not found"))));
        assertEquals("AE", rejected.code());
        assertEquals(controlId, rejected.controlId());
        assertEquals("Patient not found", rejected.text());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "hello", "HTTP/1.1 200 OK\r\n\r\n", "MSH|^~\\&|A|B|C|D|20250101||ACK|1|P|2.6\r",
            "MSH|^~\\&|A|B|C|D|20250101||ACK|1|P|2.6\rMSA|XX|1\r",
            "MSH|^~\\&|A|B|C|D|20250101||ORU^R01^ORU_R01|1|P|2.6\rMSA|AA|1\r"})
    void anythingElseIsRefusedSayingWhy(String garbage) {
        NotAnAckException e = assertThrows(NotAnAckException.class, () -> Ack.parse(garbage));
        assertTrue(e.getMessage().startsWith("Not an HL7 acknowledgement: "), e.getMessage());
    }

    @Test
    void ourOwnOruIsNotAnAck() {
        String oru = OruMessages.reading(Items.reading(VitalSign.HEART_RATE), Items.JANE, "A",
                new Hl7Header("VIGIL", "ACME", "EPIC", "HOSP", "2.6", "P"), "C", Instant.EPOCH);
        NotAnAckException e = assertThrows(NotAnAckException.class, () -> Ack.parse(oru));
        assertTrue(e.getMessage().contains("MSH-9 says ORU^R01^ORU_R01"), e.getMessage());
    }
}
