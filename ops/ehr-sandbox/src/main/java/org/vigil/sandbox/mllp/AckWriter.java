package org.vigil.sandbox.mllp;

import org.vigil.sandbox.Mode;

import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;

/** Original-mode acknowledgements, addressed back to the sender with its own MSH fields swapped. */
final class AckWriter {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ");

    private final AtomicLong sequence = new AtomicLong();

    /**
     * @param error null for AA; the reason (ERR-8) for AE and AR
     * @param code  an HL7 table 0357 code for ERR-3 (e.g. 207 application internal error)
     */
    String ack(Er7 message, Mode mode, int code, String codeText, String error) {
        String f = String.valueOf(message.fieldSeparator());
        String enc = message.encodingCharacters();
        char component = enc.charAt(0);
        String trigger = message.component(message.msh(9), 2);
        String version = message.first(message.msh(12));
        String processing = message.first(message.msh(11));
        StringBuilder ack = new StringBuilder();
        ack.append("MSH").append(f).append(enc)
                .append(f).append(message.msh(5)).append(f).append(message.msh(6))
                .append(f).append(message.msh(3)).append(f).append(message.msh(4))
                .append(f).append(ZonedDateTime.now().format(TS)).append(f)
                .append(f).append("ACK").append(component).append(trigger.isEmpty() ? "R01" : trigger).append(component).append("ACK")
                .append(f).append("SBX").append(sequence.incrementAndGet())
                .append(f).append(processing.isEmpty() ? "P" : processing)
                .append(f).append(version.isEmpty() ? "2.6" : version)
                .append('\r');
        ack.append("MSA").append(f).append(mode.name()).append(f).append(message.msh(10)).append('\r');
        if (mode != Mode.AA) {
            ack.append("ERR").append(f).append(f).append(f)
                    .append(code).append(component).append(escape(codeText, f, enc)).append(component).append("HL70357")
                    .append(f).append('E').append(f).append(f).append(f).append(f)
                    .append(escape(error, f, enc)).append('\r');
        }
        return ack.toString();
    }

    /** HL7 escape sequences for the delimiters, so free text cannot break the ACK's structure. */
    static String escape(String text, String fieldSeparator, String enc) {
        char escape = enc.charAt(2);
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            if (c == escape) {
                out.append(escape).append('E').append(escape);
            } else if (c == fieldSeparator.charAt(0)) {
                out.append(escape).append('F').append(escape);
            } else if (c == enc.charAt(0)) {
                out.append(escape).append('S').append(escape);
            } else if (c == enc.charAt(1)) {
                out.append(escape).append('R').append(escape);
            } else if (c == enc.charAt(3)) {
                out.append(escape).append('T').append(escape);
            } else if (c == '\r' || c == '\n') {
                out.append(' ');
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
