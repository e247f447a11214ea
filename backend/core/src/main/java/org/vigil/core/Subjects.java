package org.vigil.core;

import java.util.Optional;

/**
 * NATS subject layout. Every subject carries the tenant in its second token, so NATS accounts and permissions
 * can scope it: {@code vigil.<tenant>.ingest.<format>.<device>}. The format token lets later edge decoders
 * (GATT, Open mHealth, hub envelopes) share the stream and route by subject.
 */
public final class Subjects {
    public static final String INGEST_WILDCARD = "vigil.*.ingest.>";
    public static final String CANONICAL_FORMAT = "canonical";
    /**
     * Header on a stream message whose readings may already be stored (a re-submitted dead letter): the writer then
     * checks content hashes instead of trusting the stream's duplicate window.
     */
    public static final String MAY_BE_STORED_HEADER = "Vigil-May-Be-Stored";

    private Subjects() {
    }

    public static String ingest(TenantId tenant, String format, String device) {
        return "vigil." + tenant.value() + ".ingest." + format + "." + token(device);
    }

    /** The tenant token of a {@code vigil.<tenant>.…} subject, if it is a well-formed tenant id. */
    public static Optional<String> tenantOf(String subject) {
        if (!subject.startsWith("vigil.")) {
            return Optional.empty();
        }
        int end = subject.indexOf('.', 6);
        String t = end < 0 ? subject.substring(6) : subject.substring(6, end);
        return Optional.of(t);
    }

    /** The format token of an ingest subject ({@code canonical} for the JSON of {@link DeviceReading}). */
    public static Optional<String> formatOf(String subject) {
        int t1 = subject.indexOf('.');
        int t2 = t1 < 0 ? -1 : subject.indexOf('.', t1 + 1);
        int t3 = t2 < 0 ? -1 : subject.indexOf('.', t2 + 1);
        if (t3 < 0 || !subject.regionMatches(t2 + 1, "ingest", 0, t3 - t2 - 1) || t3 - t2 - 1 != 6) {
            return Optional.empty();
        }
        int t4 = subject.indexOf('.', t3 + 1);
        return Optional.of(t4 < 0 ? subject.substring(t3 + 1) : subject.substring(t3 + 1, t4));
    }

    /** The device token of an ingest subject: everything after the format token (empty when there is none). */
    public static Optional<String> deviceOf(String subject) {
        int dots = 0;
        for (int i = 0; i < subject.length(); i++) {
            if (subject.charAt(i) == '.' && ++dots == 4) {
                return Optional.of(subject.substring(i + 1));
            }
        }
        return Optional.empty();
    }

    /** Device identifiers such as MACs contain characters that are not legal in a subject token. */
    public static String token(String device) {
        StringBuilder b = new StringBuilder(device.length());
        for (char c : device.toCharArray()) {
            b.append(Character.isLetterOrDigit(c) || c == '-' || c == '_' ? c : '_');
        }
        return b.toString();
    }
}
