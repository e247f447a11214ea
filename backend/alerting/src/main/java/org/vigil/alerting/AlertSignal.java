package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.TenantId;

import java.util.UUID;

/**
 * That one of a tenant's alerts opened or changed, as {@link AlertFeed} delivers it: ids and the new status only,
 * never a name or a value, so a subscriber reads what it shows through {@link Alerts} (where row-level security
 * applies) rather than trusting the signal.
 *
 * @param kind      {@link Kind#RESYNC} when changes may have been missed (the feed lost its connection, or this
 *                  subscriber fell too far behind): reload everything shown; alertId, patientId and status are then
 *                  null
 * @param status    open, acknowledged or resolved, as of the change
 */
public record AlertSignal(TenantId tenant, Kind kind, @Nullable UUID alertId, @Nullable UUID patientId,
                          @Nullable String status) {

    public enum Kind {
        /** A new alert (the evaluator opened it). */
        OPENED,
        /** An existing alert changed: a new breach, an escalation, or a person's action. */
        CHANGED,
        /** Changes may have been missed: reload. */
        RESYNC
    }

    public static AlertSignal resync(TenantId tenant) {
        return new AlertSignal(tenant, Kind.RESYNC, null, null, null);
    }
}
