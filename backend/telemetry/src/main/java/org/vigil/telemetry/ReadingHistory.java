package org.vigil.telemetry;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Read side of the telemetry store. Every call is scoped to one tenant; there is no cross-tenant query.
 * Every method throws {@link TelemetryUnavailableException} when the store cannot answer.
 */
public interface ReadingHistory {

    /** Which end of a window {@link #readings} starts from. */
    enum Order { OLDEST_FIRST, NEWEST_FIRST }

    /**
     * Readings of one patient with {@code from <= effective < to}, in pages.
     *
     * @param code   a LOINC code; a panel code also matches its components
     * @param cursor {@link ReadingPage#next()} of the previous page, asked for in the same order
     * @throws IllegalArgumentException for a cursor this store did not issue, or issued for the other order
     */
    ReadingPage readings(TenantId tenant, UUID patient, Instant from, Instant to, @Nullable String code, Order order,
                         @Nullable String cursor, int limit);

    /** The most recent value of every code measured for the patient. */
    List<StoredReading> latest(TenantId tenant, UUID patient);

    /**
     * The most recent value of every code measured for each of these patients, in one query (a page of the roster,
     * up to a few hundred patients). Every patient asked about is a key; one without readings has an empty list.
     * Readings are ordered by code, like {@link #latest}.
     */
    Map<UUID, List<StoredReading>> latestFor(TenantId tenant, Collection<UUID> patients);

    /**
     * The calendar days of {@code zone} on which each of these patients has at least one reading with
     * {@code from <= effective < to} (RPM's "16 days with readings in a 30-day period", counted in the clinic's
     * days). Every patient asked about is a key, with an empty set when there are none; days are in order.
     *
     * @param zone a region (America/Chicago) or UTC; fixed offsets other than UTC are not supported
     */
    Map<UUID, Set<LocalDate>> readingDays(TenantId tenant, Collection<UUID> patients, Instant from, Instant to, ZoneId zone);

    /**
     * A patient's values of one code with {@code from <= effective < to}, aggregated in buckets of {@code bucket}
     * (minimum, maximum, mean and count per bucket), for charts. A panel code (blood pressure 85354-9) gives one
     * series per component (8480-6, 8462-4, and mean pressure 8478-0 only when measured); any other code gives one
     * series. A series without readings in the range has no points.
     *
     * @param bucket whole seconds, at least one; at most 20,000 buckets may fit in the range
     * @throws IllegalArgumentException for a bucket shorter than a second or one so short that the range holds
     *                                  more than 20,000 of them
     */
    List<Series> series(TenantId tenant, UUID patient, String code, Instant from, Instant to, Duration bucket);

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
