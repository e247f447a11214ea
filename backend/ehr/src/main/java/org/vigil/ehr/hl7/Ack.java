package org.vigil.ehr.hl7;

import ca.uhn.hl7v2.parser.EncodingCharacters;
import ca.uhn.hl7v2.parser.Escape;
import io.micronaut.core.annotation.Nullable;
import org.vigil.normalize.hl7.MshHeader;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A receiver's acknowledgement of one message, read by hand rather than with HAPI's model: receivers answer in
 * whatever version they speak (2.3 to 2.8), and only MSH, MSA and ERR matter.
 *
 * @param code      AA, AE or AR; enhanced-mode commit acknowledgements (CA, CE, CR) map to them
 * @param controlId MSA-2, the MSH-10 of the message acknowledged
 * @param text      what the receiver said: MSA-3, else the ERR segments' messages; null when it said nothing
 */
public record Ack(String code, String controlId, @Nullable String text) {

    private static final Map<String, String> CODES = Map.of("AA", "AA", "AE", "AE", "AR", "AR", "CA", "AA",
            "CE", "AE", "CR", "AR");
    private static final char MLLP_START = 0x0b;
    private static final char MLLP_END = 0x1c;

    public boolean accepted() {
        return code.equals("AA");
    }

    /**
     * Reads an ACK (segments separated by CR, LF or CRLF; MLLP framing tolerated).
     *
     * @throws NotAnAckException when the text is not an HL7 v2 acknowledgement, saying why
     */
    public static Ack parse(String er7) {
        String text = er7.replace(String.valueOf(MLLP_START), "").replace(String.valueOf(MLLP_END), "")
                .replace("\r\n", "\r").replace('\n', '\r').strip();
        MshHeader msh;
        try {
            msh = MshHeader.parse(text);
        } catch (IllegalArgumentException e) {
            throw new NotAnAckException(e.getMessage(), er7);
        }
        // Some receivers leave MSH-9 empty in an ACK; anything else there is another message.
        String type = msh.messageType();
        if (!type.isEmpty() && !type.equals("ACK")) {
            throw new NotAnAckException("MSH-9 says " + msh.field(9) + ", not an ACK.", er7);
        }
        Segments segments = new Segments(text, msh);
        List<String> msa = segments.first("MSA");
        if (msa == null) {
            throw new NotAnAckException("There is no MSA segment.", er7);
        }
        String code = CODES.get(segments.value(msa, 1, 1));
        if (code == null) {
            throw new NotAnAckException("MSA-1 '" + segments.value(msa, 1, 1) + "' is not an acknowledgement code"
                    + " (AA, AE, AR, CA, CE, CR).", er7);
        }
        String message = segments.value(msa, 3, 1);
        return new Ack(code, segments.value(msa, 2, 1), message.isEmpty() ? segments.errors() : message);
    }

    /** The segments of a message, split with the delimiters its MSH declares. */
    private static final class Segments {
        private final List<List<String>> segments = new ArrayList<>();
        private final MshHeader msh;
        private final EncodingCharacters encoding;

        Segments(String text, MshHeader msh) {
            this.msh = msh;
            this.encoding = new EncodingCharacters(msh.fieldSeparator(), String.valueOf(new char[]{
                    msh.componentSeparator(), msh.repetitionSeparator(), msh.escapeCharacter(),
                    msh.subcomponentSeparator()}));
            for (String segment : text.split("\r")) {
                if (!segment.isBlank()) {
                    segments.add(List.of(split(segment, msh.fieldSeparator())));
                }
            }
        }

        @Nullable
        List<String> first(String name) {
            return segments.stream().filter(s -> s.get(0).equals(name)).findFirst().orElse(null);
        }

        /** Field n, component c (both 1-based), first repetition, the text of a coded subcomponent, unescaped. */
        String value(List<String> segment, int n, int c) {
            if (n >= segment.size()) {
                return "";
            }
            String[] components = split(split(segment.get(n), msh.repetitionSeparator())[0], msh.componentSeparator());
            if (c > components.length) {
                return "";
            }
            // ERR-1.4 of 2.4 and before is a CE in subcomponents: code&text&system
            String[] subcomponents = split(components[c - 1], msh.subcomponentSeparator());
            String value = subcomponents.length > 1 && !subcomponents[1].isBlank() ? subcomponents[1] : subcomponents[0];
            return Escape.unescape(value, encoding).strip();
        }

        private static String[] split(String s, char delimiter) {
            return s.split(Pattern.quote(String.valueOf(delimiter)), -1);
        }

        /**
         * Each ERR's most specific message: ERR-8 (user message, 2.5+), ERR-7 (diagnostic information), ERR-3's
         * original text (where HAPI puts the exception's message), its text or code (HL7 error code), or ERR-1's code
         * text (2.4 and before); joined with "; ".
         */
        @Nullable
        String errors() {
            List<String> messages = new ArrayList<>();
            for (List<String> err : segments) {
                if (!err.get(0).equals("ERR")) {
                    continue;
                }
                for (String candidate : List.of(value(err, 8, 1), value(err, 7, 1), value(err, 3, 9), value(err, 3, 2), value(err, 3, 1),
                        value(err, 1, 4))) {
                    if (!candidate.isEmpty()) {
                        messages.add(candidate);
                        break;
                    }
                }
            }
            return messages.isEmpty() ? null : String.join("; ", messages);
        }
    }
}
