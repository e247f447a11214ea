package org.vigil.sandbox;

/**
 * One ERROR or FATAL message the validator raised for a received Observation.
 *
 * @param resource the Observation's first identifier as {@code system|value} (or its id when it has none)
 * @param profile  the profile it was validated against
 * @param severity "error" or "fatal"
 * @param message  the validator's text
 * @param location the FHIRPath of the offending element
 */
public record ValidationFinding(String resource, String profile, String severity, String message, String location) {

    @Override
    public String toString() {
        return resource + " [" + profile + "] " + severity + " at " + location + ": " + message;
    }
}
