package org.vigil.alerting;

/** Where a value falls against its thresholds. A value exactly at a limit is inside it. */
public enum Band {
    CRITICAL_LOW(true),
    LOW(false),
    NORMAL(false),
    HIGH(false),
    CRITICAL_HIGH(true);

    private final boolean critical;

    Band(boolean critical) {
        this.critical = critical;
    }

    public boolean critical() {
        return critical;
    }
}
