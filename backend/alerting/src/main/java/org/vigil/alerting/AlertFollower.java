package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.Reading;
import org.vigil.core.TenantId;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.UUID;

/**
 * Work that must commit with an alert, or not at all: the EHR outbox writes the reading that raised an alert in
 * the alert's own transaction. A follower's failure never costs the alarm: it runs behind a savepoint, and what it
 * could not write is logged and counted instead.
 */
public interface AlertFollower {

    /**
     * Called when an alert opens, reopens or escalates because of a reading (never for the canary).
     *
     * @param event   opened, reopened or escalated
     * @param reading the reading that caused it; null for time-driven changes (no-data, silent devices)
     */
    void follow(Connection c, TenantId tenant, UUID patient, UUID alertId, String event, AlertChange change,
                @Nullable Reading reading) throws SQLException;
}
