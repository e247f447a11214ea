package org.vigil.edge.mllp;

import io.micronaut.core.annotation.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.core.DeadLetter;
import org.vigil.core.DeadLetterSink;
import org.vigil.core.ErrorCode;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;
import org.vigil.normalize.hl7.Hl7Text;
import org.vigil.normalize.hl7.Hl7v2Decoder;
import org.vigil.normalize.hl7.MshHeader;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Answers the HL7 messages of one tenant's listener. An AA is sent only after JetStream has stored the raw
 * message (or recognised its message id, derived from tenant, MSH-3 and MSH-10, as a retransmission); when the
 * stream does not confirm in time the answer is AE with ERR-3 207 so the sender keeps the message and retries.
 * Every AE and AR for the message itself is recorded as a dead letter first; when that fails too, the answer is
 * the same 207, so nothing is lost without a trace.
 */
public class Hl7Receiver {
    private static final Logger LOG = LoggerFactory.getLogger(Hl7Receiver.class);

    private final TenantId tenant;
    private final Hl7Intake intake;
    private final DurablePublisher stream;
    private final DeadLetterSink deadLetters;
    private final AckWriter acks;
    private final Clock clock;
    private final Duration publishTimeout;

    public Hl7Receiver(TenantId tenant, Hl7Intake intake, DurablePublisher stream, DeadLetterSink deadLetters, Clock clock,
                       Duration publishTimeout) {
        this.tenant = tenant;
        this.intake = intake;
        this.stream = stream;
        this.deadLetters = deadLetters;
        this.acks = new AckWriter(clock);
        this.clock = clock;
        this.publishTimeout = publishTimeout;
    }

    /** The acknowledgement for one message (the bytes between MLLP's start and end block). */
    public byte[] receive(byte[] message) {
        Instant now = clock.instant();
        Verdict v = intake.assess(tenant, message, now);
        String subject = Subjects.ingest(tenant, Hl7v2Decoder.FORMAT, v.sender());
        if (v.code() == AckCode.AA) {
            try {
                boolean duplicate = stream.publish(subject, message, messageId(v.msh(), message), publishTimeout);
                LOG.debug("HL7 {} from {} for tenant {}: AA ({} readings{})", controlId(v.msh()), v.sender(), tenant,
                        v.readings(), duplicate ? ", a retransmission" : "");
                return acks.write(v.msh(), AckCode.AA, v.errors());
            } catch (IOException | RuntimeException e) {
                LOG.warn("HL7 {} from {} for tenant {} not confirmed by the readings stream: {}", controlId(v.msh()),
                        v.sender(), tenant, e.toString());
                return tryAgain(v.msh(), "The readings stream did not confirm this message in time; it was not accepted. "
                        + "Send it again unchanged.");
            }
        }
        AckError first = v.errors().get(0);
        try {
            deadLetters.write(List.of(new DeadLetter(tenant.value(), subject, first.code(), sentence(v.errors()), message, now, -1)));
        } catch (Exception e) {
            LOG.warn("HL7 {} from {} for tenant {} could not be dead-lettered: {}", controlId(v.msh()), v.sender(), tenant,
                    e.toString());
            return tryAgain(v.msh(), "Vigil could not record why it refuses this message; send it again unchanged.");
        }
        LOG.debug("HL7 {} from {} for tenant {}: {} {}", controlId(v.msh()), v.sender(), tenant, v.code(), first.reason());
        return acks.write(v.msh(), v.code(), v.errors());
    }

    /** The answer to a frame longer than the listener accepts, of which only the start was kept. */
    public byte[] tooLarge(byte[] head, int limit) {
        Instant now = clock.instant();
        MshHeader msh = MshHeader.read(Hl7Text.decode(head)).orElse(null);
        String subject = Subjects.ingest(tenant, Hl7v2Decoder.FORMAT, SenderToken.of(msh));
        AckError error = new AckError(ErrorCode.MALFORMED_PAYLOAD, "The message is larger than the " + limit
                + " bytes this listener accepts.", null, Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR, false);
        try {
            deadLetters.write(List.of(new DeadLetter(tenant.value(), subject, error.code(),
                    error.reason() + " Only its first " + head.length + " bytes are kept.", head, now, -1)));
        } catch (Exception e) {
            LOG.warn("An oversized HL7 message for tenant {} could not be dead-lettered: {}", tenant, e.toString());
        }
        return acks.write(msh, AckCode.AE, List.of(error));
    }

    private byte[] tryAgain(@Nullable MshHeader msh, String sentence) {
        return acks.write(msh, AckCode.AE, List.of(AckError.tryAgain(sentence)));
    }

    /**
     * The JetStream message id: the same control id from the same sending application is the same message
     * (HL7's own rule for retransmissions), so a resend within the stream's duplicate window is stored once.
     */
    String messageId(@Nullable MshHeader msh, byte[] message) {
        String key = msh == null || msh.controlId().isEmpty()
                ? "bytes|" + HexFormat.of().formatHex(sha256(message))
                : "msh|" + msh.raw(3) + "|" + msh.controlId();
        byte[] digest = sha256((tenant.value() + "|" + key).getBytes(StandardCharsets.UTF_8));
        return "hl7v2:" + HexFormat.of().formatHex(digest, 0, 16);
    }

    private static String sentence(List<AckError> errors) {
        String joined = errors.stream().limit(3)
                .map(e -> e.location() == null ? e.reason() : e.location() + ": " + e.reason())
                .collect(Collectors.joining(" "));
        return errors.size() > 3 ? joined + " (and " + (errors.size() - 3) + " more)" : joined;
    }

    private static String controlId(@Nullable MshHeader msh) {
        return msh == null ? "(no MSH)" : "'" + msh.controlId() + "'";
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JRE has SHA-256", e);
        }
    }
}
