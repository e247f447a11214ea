package org.vigil.alerting;

/** How urgently a person must look at an alert; the triage queue sorts by it, escalation applies to CRITICAL. */
public enum Severity {
    CRITICAL, WARNING, INFO;

    public static Severity of(Band band) {
        return band.critical() ? CRITICAL : band == Band.NORMAL ? INFO : WARNING;
    }

    public String label() {
        return name().toLowerCase();
    }
}
