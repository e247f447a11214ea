package org.vigil.ehr;

import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;
import org.vigil.telemetry.PeriodStatistic;
import org.vigil.telemetry.ReadingHistory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Periodic summaries: per patient and vital, the count, minimum, maximum and mean of a closed UTC day or ISO week,
 * computed from the telemetry plane and written to the outbox together with the record that the period is done,
 * so a period is summarised exactly once however many processes or retries run it.
 */
@Singleton
public class Summaries {
    private final ReadingHistory history;
    private final TenantScope scope;
    private final Clock clock;
    private final SummarySink sink;

    public Summaries(ReadingHistory history, TenantScope scope, Clock clock, SummarySink sink) {
        this.history = history;
        this.scope = scope;
        this.clock = clock;
        this.sink = sink;
    }

    /** Where summary items go: the outbox (an interface so this public class need not reach into internals). */
    public interface SummarySink {
        /** Adds the items in the caller's transaction; returns how many were new. */
        int add(Connection c, TenantId tenant, String endpoint, Map<UUID, SummaryItem> items) throws SQLException, IOException;
    }

    /** The result of producing one period for one endpoint. */
    @Serdeable
    public record Produced(Instant start, Instant end, boolean alreadyDone, int patients, int items) {
    }

    /**
     * A period that cannot be summarised: its start is not a period boundary (a day at 05:00 would be a second
     * summary, overlapping the day's, under another key), or it has not ended yet (its summary would be recorded as
     * done with part of the readings, and never made again).
     */
    public static final class NotAClosedPeriod extends IllegalArgumentException {
        private final boolean notEnded;

        NotAClosedPeriod(String message, boolean notEnded) {
            super(message);
            this.notEnded = notEnded;
        }

        /** True when the start is a boundary but the period is still running. */
        public boolean notEnded() {
            return notEnded;
        }
    }

    /** The end of the period of this kind starting at {@code start}, checking that it is one and that it has ended. */
    public static Instant closedPeriodEnd(EhrEndpoint.Summaries kind, Instant start, Instant now) {
        boolean weekly = kind == EhrEndpoint.Summaries.WEEKLY;
        boolean boundary = start.equals(start.truncatedTo(ChronoUnit.DAYS))
                && (!weekly || start.atZone(ZoneOffset.UTC).getDayOfWeek() == DayOfWeek.MONDAY);
        if (!boundary) {
            throw new NotAClosedPeriod(start + " does not start a " + (weekly ? "week (a Monday, 00:00 UTC)" : "day (00:00 UTC)")
                    + ".", false);
        }
        Instant end = start.plus(weekly ? Duration.ofDays(7) : Duration.ofDays(1));
        if (end.isAfter(now)) {
            throw new NotAClosedPeriod("the period " + start + " to " + end + " has not ended yet.", true);
        }
        return end;
    }

    /** The start of the last period of this kind that ended at least {@code delay} before now. */
    public static Instant lastClosedStart(EhrEndpoint.Summaries kind, Instant now, Duration delay) {
        Instant ref = now.minus(delay);
        Instant end = kind == EhrEndpoint.Summaries.WEEKLY
                ? ref.atZone(ZoneOffset.UTC).truncatedTo(ChronoUnit.DAYS).with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY)).toInstant()
                : ref.truncatedTo(ChronoUnit.DAYS);
        return end.minus(kind == EhrEndpoint.Summaries.WEEKLY ? Duration.ofDays(7) : Duration.ofDays(1));
    }

    /**
     * Summarises the period starting at {@code start} for the endpoint (its policy says daily or weekly).
     *
     * @throws NotAClosedPeriod when {@code start} does not start a period or the period has not ended
     * @throws org.vigil.telemetry.TelemetryUnavailableException when ClickHouse cannot answer: nothing is recorded,
     *                                                           the period is tried again later
     */
    public Produced produce(EhrEndpoint endpoint, Instant start) {
        EhrEndpoint.Summaries kind = endpoint.send().summaries();
        if (kind == EhrEndpoint.Summaries.NONE) {
            throw new IllegalArgumentException("endpoint " + endpoint.id() + " sends no summaries");
        }
        Instant end = closedPeriodEnd(kind, start, clock.instant());
        String period = kind.name().toLowerCase();
        List<PeriodStatistic> stats = history.statistics(endpoint.tenant(), start, end);
        Map<UUID, Map<String, List<SummaryItem.Stat>>> byPatient = new LinkedHashMap<>();
        for (PeriodStatistic s : stats) {
            byPatient.computeIfAbsent(s.patient(), p -> new LinkedHashMap<>()).computeIfAbsent(s.panel(), p -> new ArrayList<>())
                    .add(new SummaryItem.Stat(s.code(), s.unit(), s.count(), s.min(), s.max(), s.mean()));
        }
        Map<UUID, SummaryItem> items = new LinkedHashMap<>();
        byPatient.forEach((patient, panels) -> {
            List<SummaryItem.VitalStats> vitals = new ArrayList<>();
            panels.forEach((panel, components) -> vitals.add(new SummaryItem.VitalStats(panel, components)));
            items.put(patient, new SummaryItem(period, start, end, vitals));
        });
        return scope.writeInTenant(endpoint.tenant(), c -> {
            try {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO ehr_summary_runs (tenant_id, endpoint_id, period_start, "
                        + "period_end, produced_at, items) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING")) {
                    ps.setString(1, endpoint.tenant().value());
                    ps.setString(2, endpoint.id());
                    ps.setTimestamp(3, Timestamp.from(start));
                    ps.setTimestamp(4, Timestamp.from(end));
                    ps.setTimestamp(5, Timestamp.from(clock.instant()));
                    ps.setInt(6, items.size());
                    if (ps.executeUpdate() == 0) {
                        return new Produced(start, end, true, 0, 0);
                    }
                }
                int added = sink.add(c, endpoint.tenant(), endpoint.id(), items);
                return new Produced(start, end, false, items.size(), added);
            } catch (SQLException | IOException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }
}
