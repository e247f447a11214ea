package org.vigil.sandbox.fhir;

import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The search part of an If-None-Exist header or a conditional update URL. The sandbox matches on identifier
 * only, which is what an RPM connector keys its resources by; anything else is refused rather than ignored,
 * so a connector never believes a condition held that was not checked.
 */
public final class ConditionalUrl {

    private ConditionalUrl() {
    }

    /** Accepts {@code identifier=...}, {@code Type?identifier=...} or a full URL ending so. */
    public static IdentifierQuery parse(String conditionalUrl) {
        String query = conditionalUrl.trim();
        int question = query.indexOf('?');
        if (question >= 0) {
            query = query.substring(question + 1);
        }
        IdentifierQuery found = null;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = eq < 0 ? pair : pair.substring(0, eq);
            String value = eq < 0 ? "" : percentDecode(pair.substring(eq + 1));
            if (!"identifier".equals(percentDecode(name)) || value.isEmpty() || found != null) {
                throw new InvalidRequestException("The sandbox EHR supports conditional operations on exactly one"
                        + " identifier parameter; got '" + conditionalUrl + "'");
            }
            found = IdentifierQuery.parse(value);
        }
        if (found == null) {
            throw new InvalidRequestException("Empty conditional URL '" + conditionalUrl + "'");
        }
        return found;
    }

    // RFC 3986 decoding: '+' stays '+', unlike form decoding, so a hash containing '+' still matches.
    static String percentDecode(String s) {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '%') {
                if (i + 2 >= s.length()) {
                    throw new InvalidRequestException("Bad percent-encoding in '" + s + "'");
                }
                try {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                } catch (NumberFormatException e) {
                    throw new InvalidRequestException("Bad percent-encoding in '" + s + "'");
                }
                i += 2;
            } else {
                byte[] bytes = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                out.write(bytes, 0, bytes.length);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
