package org.vigil.core;

import java.util.regex.Pattern;

/**
 * A tenant's slug. It appears in NATS subjects, ClickHouse keys and the JWT {@code tenant} claim, so the
 * alphabet is restricted to what is safe in all three (no dots, no wildcards, no quotes).
 */
public record TenantId(String value) {
    private static final Pattern SLUG = Pattern.compile("[a-z0-9][a-z0-9-]{1,62}");

    public TenantId {
        if (value == null || !SLUG.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid tenant id '" + value + "': expected 2-63 chars of a-z, 0-9 and '-'");
        }
    }

    public static boolean isValid(String value) {
        return value != null && SLUG.matcher(value).matches();
    }

    @Override
    public String toString() {
        return value;
    }
}
