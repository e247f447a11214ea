package org.vigil.edge.mllp;

import ca.uhn.hl7v2.model.v26.message.ACK;
import org.junit.jupiter.api.Test;
import org.vigil.core.DeadLetter;
import org.vigil.core.ErrorCode;
import org.vigil.core.TenantId;
import org.vigil.normalize.hl7.Hl7Text;
import org.vigil.normalize.hl7.Hl7v2Decoder;
import org.vigil.normalize.hl7.MshHeader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class Hl7ReceiverTest {
    private static final Hl7Intake INTAKE = EdgeCorpus.intake();
    private static final Clock CLOCK = Clock.fixed(EdgeCorpus.RECEIVED, ZoneOffset.UTC);

    /** What the stream was asked to store, and what it answers. */
    private static final class FakeStream implements DurablePublisher {
        record Call(String subject, byte[] payload, String id, Duration timeout) {
        }

        final List<Call> calls = new ArrayList<>();
        final List<String> stored = new ArrayList<>();
        IOException failure;

        @Override
        public boolean publish(String subject, byte[] payload, String id, Duration timeout) throws IOException {
            calls.add(new Call(subject, payload, id, timeout));
            if (failure != null) {
                throw failure;
            }
            if (stored.contains(id)) {
                return true;
            }
            stored.add(id);
            return false;
        }
    }

    private final FakeStream stream = new FakeStream();
    private final List<DeadLetter> deadLetters = new ArrayList<>();
    private Exception deadLetterFailure;

    private Hl7Receiver receiver(TenantId tenant) {
        return new Hl7Receiver(tenant, INTAKE, stream, letters -> {
            if (deadLetterFailure != null) {
                throw deadLetterFailure;
            }
            deadLetters.addAll(letters);
        }, CLOCK, Duration.ofSeconds(3));
    }

    private static ACK ack(byte[] bytes) throws Exception {
        return (ACK) Hl7v2Decoder.lenientParser().parse(new String(bytes, StandardCharsets.ISO_8859_1));
    }

    private static String msa1(byte[] ack) throws Exception {
        return ack(ack).getMSA().getMsa1_AcknowledgmentCode().getValue();
    }

    @Test
    void aGoodMessageIsPublishedRawUnderItsGatewayAndThenAcknowledgedAa() throws Exception {
        byte[] message = EdgeCorpus.bytes(EdgeCorpus.J2_BP);
        byte[] ack = receiver(EdgeCorpus.TENANT).receive(message);
        assertEquals("AA", msa1(ack));
        assertEquals(1, stream.calls.size());
        FakeStream.Call call = stream.calls.get(0);
        assertEquals("vigil.acme.ingest.hl7v2.ACDE48234567ABCD", call.subject());
        assertArrayEquals(message, call.payload(), "the raw bytes go on the stream");
        assertEquals(Duration.ofSeconds(3), call.timeout());
        assertEquals(List.of(), deadLetters);
    }

    @Test
    void aRetransmissionHasTheSameMessageIdAndIsAcknowledgedAaAgain() throws Exception {
        Hl7Receiver receiver = receiver(EdgeCorpus.TENANT);
        String text = new String(EdgeCorpus.bytes(EdgeCorpus.J2_BP), StandardCharsets.ISO_8859_1);
        byte[] resent = text.replace("20090713090030+0500", "20090713090130+0500").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("AA", msa1(receiver.receive(text.getBytes(StandardCharsets.ISO_8859_1))));
        assertEquals("AA", msa1(receiver.receive(resent)));
        assertEquals(stream.calls.get(0).id(), stream.calls.get(1).id());
        assertEquals(1, stream.stored.size(), "JetStream stores it once");

        MshHeader msh = MshHeader.parse(Hl7Text.decode(resent));
        MshHeader otherId = MshHeader.parse(text.replace("|MSGID1234|", "|MSGID1235|"));
        assertNotEquals(receiver.messageId(msh, resent), receiver.messageId(otherId, resent));
        assertNotEquals(receiver.messageId(msh, resent), receiver(new TenantId("other")).messageId(msh, resent));
    }

    @Test
    void whenTheStreamDoesNotConfirmTheAnswerIsAeTryAgainAndNothingIsDeadLettered() throws Exception {
        stream.failure = new IOException("Timeout or no response waiting for NATS JetStream server");
        ACK ack = ack(receiver(EdgeCorpus.TENANT).receive(EdgeCorpus.bytes(EdgeCorpus.J2_BP)));
        assertEquals("AE", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("MSGID1234", ack.getMSA().getMsa2_MessageControlID().getValue());
        assertEquals("207", ack.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue());
        assertTrue(ack.getERR(0).getErr8_UserMessage().getValue().contains("Send it again"));
        assertEquals(List.of(), deadLetters);
    }

    @Test
    void anInvalidMessageIsAeWithItsLocationAndADeadLetterAndIsNotPublished() throws Exception {
        byte[] message = EdgeCorpus.bytes("pcd01-variants/ipf-QAPcd01PIDPV1ValidatorTest-testMissingPID5.hl7");
        ACK ack = ack(receiver(EdgeCorpus.TENANT).receive(message));
        assertEquals("AE", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("PID^1^5^1", ack.getERR(0).getErr2_ErrorLocation(0).encode());
        assertEquals("101", ack.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue());
        assertEquals("E", ack.getERR(0).getErr4_Severity().getValue());
        assertEquals(List.of(), stream.calls);
        DeadLetter d = deadLetters.get(0);
        assertEquals("acme", d.tenant());
        assertEquals("vigil.acme.ingest.hl7v2.ACDE48234567ABCD", d.subject());
        assertEquals(ErrorCode.SCHEMA_VIOLATION, d.code());
        assertEquals(-1, d.streamSeq());
        assertArrayEquals(message, d.payload());
        assertEquals(EdgeCorpus.RECEIVED, d.receivedAt());
        assertTrue(d.reason().startsWith("PID-5: IHE PCD-01 profile: Required element 'name type code' is missing."), d.reason());
    }

    @Test
    void anAckSentToUsIsRejectedArAndDeadLettered() throws Exception {
        byte[] ack = receiver(EdgeCorpus.TENANT).receive(EdgeCorpus.bytes("pcd01/ipf-valid-pcd01-response_ACK-AA.hl7"));
        assertEquals("AR", msa1(ack));
        assertEquals("AMSGID1234", ack(ack).getMSA().getMsa2_MessageControlID().getValue());
        assertEquals("200", ack(ack).getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue());
        assertEquals(ErrorCode.UNSUPPORTED_MESSAGE, deadLetters.get(0).code());
        assertEquals("vigil.acme.ingest.hl7v2.Stepstone", deadLetters.get(0).subject());
    }

    @Test
    void anOlderVersionIsRejectedArWithErrorCode203() throws Exception {
        String text = new String(EdgeCorpus.bytes(EdgeCorpus.J2_BP), StandardCharsets.ISO_8859_1).replace("|2.6|", "|2.5|");
        ACK ack = ack(receiver(EdgeCorpus.TENANT).receive(text.getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("AR", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("203", ack.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue());
        assertEquals("MSH^1^12^1", ack.getERR(0).getErr2_ErrorLocation(0).encode());
    }

    @Test
    void whenTheDeadLetterCannotBeWrittenTheAnswerIsAeTryAgain() throws Exception {
        deadLetterFailure = new IllegalStateException("database down");
        ACK ack = ack(receiver(EdgeCorpus.TENANT).receive("garbage".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("AE", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("207", ack.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue());
    }

    @Test
    void unparseableInputIsAeMalformedAndDeadLettered() throws Exception {
        ACK ack = ack(receiver(EdgeCorpus.TENANT).receive("garbage".getBytes(StandardCharsets.ISO_8859_1)));
        assertEquals("AE", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals(ErrorCode.MALFORMED_PAYLOAD, deadLetters.get(0).code());
        assertEquals("vigil.acme.ingest.hl7v2.unknown", deadLetters.get(0).subject());
    }

    @Test
    void anOversizedMessageIsAeAndItsStartIsDeadLettered() throws Exception {
        byte[] head = "MSH|^~\\&|GW||||20250601||ORU^R01^ORU_R01|77|P|2.6\rOBX|1|ST|x|1|".getBytes(StandardCharsets.ISO_8859_1);
        ACK ack = ack(receiver(EdgeCorpus.TENANT).tooLarge(head, head.length));
        assertEquals("AE", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("77", ack.getMSA().getMsa2_MessageControlID().getValue());
        assertEquals(ErrorCode.MALFORMED_PAYLOAD, deadLetters.get(0).code());
        assertArrayEquals(head, deadLetters.get(0).payload());
    }
}
