package org.vigil.sandbox.fhir;

import org.hl7.fhir.r4.model.Identifier;

import java.util.List;

/**
 * A FHIR token search on identifier ({@code system|value}, {@code |value}, {@code system|} or {@code value}).
 *
 * @param system null: any system; "": identifiers without a system
 * @param value  null: any value in the system
 */
public record IdentifierQuery(String system, String value) {

    /** Parses a token parameter value as FHIR search does. */
    public static IdentifierQuery parse(String token) {
        int bar = token.indexOf('|');
        if (bar < 0) {
            return new IdentifierQuery(null, token);
        }
        String value = token.substring(bar + 1);
        return new IdentifierQuery(token.substring(0, bar), value.isEmpty() ? null : value);
    }

    public boolean matchesAny(List<Identifier> identifiers) {
        for (Identifier identifier : identifiers) {
            if (matches(identifier)) {
                return true;
            }
        }
        return false;
    }

    private boolean matches(Identifier identifier) {
        if (system != null) {
            String actual = identifier.hasSystem() ? identifier.getSystem() : "";
            if (!system.equals(actual)) {
                return false;
            }
        }
        return value == null || value.equals(identifier.getValue());
    }

    @Override
    public String toString() {
        return (system == null ? "" : system + "|") + (value == null ? "" : value);
    }
}
