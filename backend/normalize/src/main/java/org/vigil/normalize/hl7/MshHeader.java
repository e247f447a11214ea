package org.vigil.normalize.hl7;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The MSH segment read by hand, without HAPI: the type and version decide whether a message is parsed at all,
 * and an acknowledgement must echo the control id and swap sender and receiver even for a message HAPI cannot
 * parse. Values are unescaped; only the first repetition of a field is read.
 *
 * @param fields MSH-1 … MSH-n at index 0 … n-1, as sent (still escaped)
 */
public record MshHeader(char fieldSeparator, char componentSeparator, char repetitionSeparator, char escapeCharacter,
                        char subcomponentSeparator, List<String> fields) {

    public MshHeader {
        fields = List.copyOf(fields);
    }

    /**
     * Reads the MSH segment at the start of {@code text} (segments separated by CR, as {@link Hl7Text} returns them).
     *
     * @throws IllegalArgumentException with a sentence saying what is wrong
     */
    public static MshHeader parse(String text) {
        if (!text.startsWith("MSH")) {
            throw new IllegalArgumentException("The message does not start with an MSH segment.");
        }
        int end = text.indexOf('\r');
        String segment = end < 0 ? text : text.substring(0, end);
        if (segment.length() < 8) {
            throw new IllegalArgumentException("The MSH segment is too short to name its field separator and encoding characters.");
        }
        char fs = segment.charAt(3);
        int encEnd = segment.indexOf(fs, 4);
        String enc = encEnd < 0 ? segment.substring(4) : segment.substring(4, encEnd);
        if (enc.length() < 4 || Character.isLetterOrDigit(fs) || distinct(fs + enc) < 5) {
            throw new IllegalArgumentException("MSH-1/MSH-2 do not name five distinct delimiter characters (got '"
                    + fs + enc + "').");
        }
        List<String> fields = new ArrayList<>();
        fields.add(String.valueOf(fs));
        fields.add(enc);
        if (encEnd >= 0) {
            int from = encEnd + 1;
            while (true) {
                int next = segment.indexOf(fs, from);
                fields.add(next < 0 ? segment.substring(from) : segment.substring(from, next));
                if (next < 0) {
                    break;
                }
                from = next + 1;
            }
        }
        return new MshHeader(fs, enc.charAt(0), enc.charAt(1), enc.charAt(2), enc.charAt(3), fields);
    }

    /** Like {@link #parse} for callers that only need the header when there is one. */
    public static Optional<MshHeader> read(String text) {
        try {
            return Optional.of(parse(text));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** MSH-n's first repetition, unescaped; empty when absent. */
    public String field(int n) {
        return unescape(firstRepetition(raw(n)));
    }

    /** Component {@code c} (1-based) of MSH-n's first repetition, unescaped; empty when absent. */
    public String component(int n, int c) {
        String f = firstRepetition(raw(n));
        int from = 0;
        for (int i = 1; i < c; i++) {
            int next = f.indexOf(componentSeparator, from);
            if (next < 0) {
                return "";
            }
            from = next + 1;
        }
        int to = f.indexOf(componentSeparator, from);
        return unescape(to < 0 ? f.substring(from) : f.substring(from, to));
    }

    public String messageType() {
        return component(9, 1);
    }

    public String triggerEvent() {
        return component(9, 2);
    }

    public String controlId() {
        return field(10);
    }

    public String processingId() {
        return component(11, 1);
    }

    public String version() {
        return component(12, 1);
    }

    /** MSH-n as sent (escaped, all repetitions); MSH-1 and MSH-2 are the delimiters. */
    public String raw(int n) {
        return n >= 1 && n <= fields.size() ? fields.get(n - 1) : "";
    }

    private String firstRepetition(String f) {
        int rep = f.indexOf(repetitionSeparator);
        return rep < 0 ? f : f.substring(0, rep);
    }

    /** HL7's delimiter escapes (\F\ \S\ \T\ \R\ \E\); other escape sequences are kept as they are. */
    private String unescape(String s) {
        if (s.indexOf(escapeCharacter) < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == escapeCharacter && i + 2 < s.length() && s.charAt(i + 2) == escapeCharacter) {
                char d = switch (s.charAt(i + 1)) {
                    case 'F' -> fieldSeparator;
                    case 'S' -> componentSeparator;
                    case 'T' -> subcomponentSeparator;
                    case 'R' -> repetitionSeparator;
                    case 'E' -> escapeCharacter;
                    default -> 0;
                };
                if (d != 0) {
                    b.append(d);
                    i += 3;
                    continue;
                }
            }
            b.append(c);
            i++;
        }
        return b.toString();
    }

    private static long distinct(String s) {
        return s.chars().distinct().count();
    }
}
