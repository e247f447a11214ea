package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import org.vigil.alerting.Suppressor.Change;
import org.vigil.alerting.Suppressor.State;

import java.time.Instant;

/**
 * Something that happened to the alert of one key (patient, rule, side) that people need to hear about.
 *
 * @param key     {@code <rule id>/<side>}, the suppression key within the patient
 * @param value   the value judged: a reading's value, a rise, a mean, or NaN for no-data
 * @param limit   the limit the value crossed, when there is one
 * @param late    the reading was taken long before it arrived: record it, page nobody
 * @param summary one sentence a care manager can read
 */
public record AlertChange(String key, String ruleId, String program, Thresholds.Side side, Change change, State before,
                          State after, @Nullable String code, double value, @Nullable String unit, @Nullable Double limit,
                          Instant at, boolean late, String summary) {

    public Severity severity() {
        return after.worst() == null ? Severity.WARNING : Severity.of(after.worst());
    }
}
