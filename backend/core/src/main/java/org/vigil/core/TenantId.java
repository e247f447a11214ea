package org.vigil.core;

/**
 * A tenant's slug. It appears in NATS subjects, ClickHouse keys and the JWT {@code tenant} claim, so the
 * alphabet is restricted to what is safe in all three (no dots, no wildcards, no quotes).
 */
public record TenantId(String value) {
    public TenantId {
        if (!isValid(value)) {
            throw new IllegalArgumentException("invalid tenant id '" + value + "': expected 2-63 chars of a-z, 0-9 and '-'");
        }
    }

    /** {@code [a-z0-9][a-z0-9-]{1,62}}, checked by hand: it runs for every ingested message. */
    public static boolean isValid(String value) {
        if (value == null || value.length() < 2 || value.length() > 63 || value.charAt(0) == '-') {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return value;
    }
}
