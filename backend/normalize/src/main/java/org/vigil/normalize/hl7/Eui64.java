package org.vigil.normalize.hl7;

import io.micronaut.core.annotation.Nullable;

import java.util.Locale;

/**
 * Finds the EUI-64 in an EI (entity identifier) or HD (hierarchic designator) the ways PCD-01 senders write it:
 * {@code 0123456789ABCDEF^^0123456789ABCDEF^EUI-64} (the IHE PCD TF form: universal id + type),
 * {@code 0123456789ABCDEF^EUI-64} (the Continua examples: the type in the namespace slot), or
 * {@code AcmeInc^ACDE48234567ABCD^EUI-64} (an HD: namespace, universal id, type).
 */
public final class Eui64 {
    private Eui64() {
    }

    /** The EUI-64 as 16 upper-case hex digits, or null when the EI names none. */
    @Nullable
    public static String of(String entityId, String namespace, String universalId, String universalIdType) {
        if (isEuiType(universalIdType)) {
            String u = hex16(universalId);
            return u != null ? u : hex16(entityId);
        }
        if (isEuiType(namespace)) {
            return hex16(entityId);
        }
        return null;
    }

    /** The EUI-64 of an HD (MSH-3, MSH-4): namespace^universal id^type. */
    @Nullable
    public static String ofHd(String namespace, String universalId, String universalIdType) {
        return isEuiType(universalIdType) ? hex16(universalId) : null;
    }

    private static boolean isEuiType(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT);
        return t.equals("EUI-64") || t.equals("EUI64");
    }

    @Nullable
    private static String hex16(String s) {
        String t = s.strip();
        if (t.length() != 16) {
            return null;
        }
        for (int i = 0; i < 16; i++) {
            if (Character.digit(t.charAt(i), 16) < 0) {
                return null;
            }
        }
        return t.toUpperCase(Locale.ROOT);
    }
}
