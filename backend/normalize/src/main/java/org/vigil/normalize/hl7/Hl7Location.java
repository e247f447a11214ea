package org.vigil.normalize.hl7;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where in an HL7 v2 message a problem is, written as {@code SEG[-field[.component]][(occurrence)]}: {@code PID-3},
 * {@code MSH-9.2}, {@code OBX-3(4)} (field 3 of the fourth OBX in the message). The occurrence counts segments of
 * that name from the start of the message, as ERR-2.2 (segment sequence) does, so the text maps 1:1 to an ERR-2
 * error location; it is left out for segments that occur once (MSH, PID).
 *
 * @param occurrence 1-based; 0 for a segment that occurs once (read as the first)
 * @param field      0 when the whole segment is meant
 * @param component  0 when the whole field is meant
 */
public record Hl7Location(String segment, int occurrence, int field, int component) {
    private static final Pattern TEXT = Pattern.compile("([A-Z][A-Z0-9]{2})(?:-(\\d{1,3})(?:\\.(\\d{1,3}))?)?(?:\\((\\d{1,6})\\))?");

    public static Hl7Location of(String segment, int occurrence, int field) {
        return new Hl7Location(segment, occurrence, field, 0);
    }

    public static Hl7Location ofField(String segment, int field) {
        return new Hl7Location(segment, 0, field, 0);
    }

    /** The location a {@link org.vigil.normalize.Problem#location()} names, if it is written in this form. */
    public static Optional<Hl7Location> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        Matcher m = TEXT.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        return Optional.of(new Hl7Location(m.group(1), number(m.group(4)), number(m.group(2)), number(m.group(3))));
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(segment);
        if (field > 0) {
            b.append('-').append(field);
            if (component > 0) {
                b.append('.').append(component);
            }
        }
        if (occurrence > 0) {
            b.append('(').append(occurrence).append(')');
        }
        return b.toString();
    }

    private static int number(String s) {
        return s == null ? 0 : Integer.parseInt(s);
    }
}
