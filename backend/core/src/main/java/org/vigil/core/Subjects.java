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
        String[] parts = subject.split("\\.", 5);
        return parts.length >= 4 && parts[2].equals("ingest") ? Optional.of(parts[3]) : Optional.empty();
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
