package org.vigil.sandbox.mllp;

import java.util.ArrayList;
import java.util.List;

/**
 * Raw field access to an ER7 message, without HAPI: the ACK must echo the sender's MSH fields even when the
 * message does not parse.
 */
final class Er7 {

    private final List<String[]> segments = new ArrayList<>();
    private final char fieldSeparator;
    private final String encodingCharacters;

    private Er7(String message) {
        boolean msh = message.startsWith("MSH") && message.length() > 8;
        fieldSeparator = msh ? message.charAt(3) : '|';
        String[] mshFields = null;
        for (String segment : message.split("[\r\n]+")) {
            if (!segment.isEmpty()) {
                String[] fields = segment.split(java.util.regex.Pattern.quote(String.valueOf(fieldSeparator)), -1);
                segments.add(fields);
                if (mshFields == null && fields[0].equals("MSH")) {
                    mshFields = fields;
                }
            }
        }
        encodingCharacters = mshFields != null && mshFields.length > 1 && mshFields[1].length() >= 4
                ? mshFields[1].substring(0, 4) : "^~\\&";
    }

    static Er7 of(String message) {
        return new Er7(message);
    }

    char fieldSeparator() {
        return fieldSeparator;
    }

    /** component, repetition, escape, subcomponent: {@code ^~\&} unless the sender chose others. */
    String encodingCharacters() {
        return encodingCharacters;
    }

    /** MSH-n as sent ("" when absent); MSH-1 is the field separator itself, so MSH-n is the (n-1)th split. */
    String msh(int n) {
        String[] msh = segment("MSH");
        return msh == null || n - 1 >= msh.length ? "" : msh[n - 1];
    }

    /** Field n of the first segment named so, or null when there is no such segment. */
    String field(String name, int n) {
        String[] segment = segment(name);
        if (segment == null) {
            return null;
        }
        return n < segment.length ? segment[n] : "";
    }

    /** The first component of a field. */
    String first(String field) {
        int at = field.indexOf(encodingCharacters.charAt(0));
        return at < 0 ? field : field.substring(0, at);
    }

    /** The nth (1-based) component of a field. */
    String component(String field, int n) {
        String[] parts = field.split(java.util.regex.Pattern.quote(String.valueOf(encodingCharacters.charAt(0))), -1);
        return n - 1 < parts.length ? parts[n - 1] : "";
    }

    private String[] segment(String name) {
        for (String[] segment : segments) {
            if (segment[0].equals(name)) {
                return segment;
            }
        }
        return null;
    }
}
