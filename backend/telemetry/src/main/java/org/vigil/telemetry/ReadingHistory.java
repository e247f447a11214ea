package org.vigil.telemetry;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.TenantId;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * Read side of the telemetry store. Every call is scoped to one tenant; there is no cross-tenant query.
 * Every method throws {@link TelemetryUnavailableException} when the store cannot answer.
 */
public interface ReadingHistory {

    /**
     * Readings of one patient with {@code from <= effective < to}, oldest first.
     *
     * @param code   a LOINC code; a panel code also matches its components
     * @param cursor {@link ReadingPage#next()} of the previous page
     * @throws IllegalArgumentException for a cursor this store did not issue
     */
    ReadingPage readings(TenantId tenant, UUID patient, Instant from, Instant to, @Nullable String code,
                         @Nullable String cursor, int limit);

    /** The most recent value of every code measured for the patient. */
    List<StoredReading> latest(TenantId tenant, UUID patient);

    /**
     * Count, minimum, maximum and mean per patient and code of the tenant's readings with
     * {@code from <= effective < to} (whole seconds), for periodic summaries.
     */
    List<PeriodStatistic> statistics(TenantId tenant, Instant from, Instant to);

    /** Stored values of a tenant, each counted once however often it was delivered. */
    long count(TenantId tenant);

    /** Checks that the store answers and its schema is in place, for health checks. */
    void ping();
}
