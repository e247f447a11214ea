package org.vigil.normalize.hl7;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The text of an HL7 v2 message as it arrived in bytes. Gateways send segments separated by CR as the standard
 * says, but files and some senders use CRLF or LF; HAPI only splits on CR, so every line ending becomes CR here.
 * MLLP framing bytes and surrounding whitespace are dropped.
 */
public final class Hl7Text {
    private Hl7Text() {
    }

    /**
     * Decodes with the character set named in MSH-18 when it is UTF-8, otherwise ISO-8859-1 (PCD-01's default
     * "8859/1", and a decoding that never fails: every byte is one character).
     */
    public static String decode(byte[] bytes) {
        String latin1 = new String(bytes, StandardCharsets.ISO_8859_1);
        Charset charset = namesUtf8(latin1) ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1;
        String text = charset == StandardCharsets.ISO_8859_1 ? latin1 : new String(bytes, charset);
        return segments(text);
    }

    private static String segments(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                continue;
            }
            b.append(c == '\n' ? '\r' : c);
        }
        int start = 0;
        int end = b.length();
        while (start < end && isFrameOrBlank(b.charAt(start))) {
            start++;
        }
        while (end > start && isFrameOrBlank(b.charAt(end - 1))) {
            end--;
        }
        return b.substring(start, end);
    }

    private static boolean isFrameOrBlank(char c) {
        return c == 0x0b || c == 0x1c || c == '\r' || c == ' ' || c == '\t' || c == 0;
    }

    /** MSH-18 says UTF-8 ("UNICODE UTF-8" in HL7 table 0211). */
    private static boolean namesUtf8(String latin1) {
        int start = latin1.indexOf("MSH");
        if (start < 0 || start + 3 >= latin1.length()) {
            return false;
        }
        int end = latin1.indexOf('\r', start);
        end = end < 0 ? latin1.length() : end;
        int lf = latin1.indexOf('\n', start);
        end = lf >= 0 && lf < end ? lf : end;
        String[] fields = latin1.substring(start, end).split(Pattern.quote(String.valueOf(latin1.charAt(start + 3))), -1);
        // fields[0] is "MSH" and fields[1] MSH-2, so MSH-n is fields[n - 1]
        return fields.length > 17 && fields[17].toUpperCase(Locale.ROOT).contains("UTF-8");
    }
}
