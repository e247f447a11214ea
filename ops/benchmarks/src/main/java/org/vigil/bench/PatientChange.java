package org.vigil.bench;

import org.vigil.alerting.AlertChange;
import org.vigil.alerting.Suppressor.Change;

/**
 * One line of a replay's alert log: what changed, for which patient.
 *
 * @param patient the patient's index in the simulated fleet (shorter to read in a report than its UUID)
 */
record PatientChange(int patient, AlertChange change) {

    /** An alert people see: a new one, or a resolved one coming back. Updates and escalations change an open alert. */
    boolean opensAlert() {
        return change.change() == Change.OPENED || change.change() == Change.REOPENED;
    }

    /** The alert's identity within the tenant: patient and suppression key ({@code <rule id>/<side>}). */
    String alertKey() {
        return patient + " " + change.key();
    }

    /** The rule within the tenant, either side of its band. */
    String ruleKey() {
        return patient + " " + change.ruleId();
    }

    /** band, rise, mean, combined or no-data: the rule id up to its first ':'. */
    String ruleKind() {
        String id = change.ruleId();
        int colon = id.indexOf(':');
        return colon < 0 ? id : id.substring(0, colon);
    }
}
