package org.vigil.app;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.Series;
import org.vigil.telemetry.SeriesPoint;
import org.vigil.telemetry.StoredReading;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Collectors;

import static java.time.ZoneOffset.UTC;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the dashboard reads from ClickHouse: the latest values of a page of patients, their days with readings, and
 * bucketed series for charts, from readings that took the real path (NATS, ingest, ClickHouse).
 */
@MicronautTest
class DashboardReadingsIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ReadingHistory history;

    private Registry a;
    private Registry b;
    private TenantId tenantA;
    private TenantId tenantB;
    private UUID pia;
    private UUID pete;
    private UUID quiet;
    private UUID ofB;
    /** Midnight UTC four days ago. */
    private final LocalDate d0 = LocalDate.now(ZoneOffset.UTC).minusDays(4);

    private Instant at(int day, int hour, int minute) {
        return d0.plusDays(day).atStartOfDay(ZoneOffset.UTC).toInstant().plus(Duration.ofHours(hour)).plus(Duration.ofMinutes(minute));
    }

    @BeforeAll
    void readings() throws Exception {
        a = Registry.newTenant("dash-read-a");
        b = Registry.newTenant("dash-read-b");
        tenantA = new TenantId(a.tenant());
        tenantB = new TenantId(b.tenant());
        pia = a.patient("Pia with cuff and scale");
        pete = a.patient("Pete with a scale");
        quiet = a.patient("Quentin who measures nothing");
        ofB = b.patient("Of B");
        a.assign(a.device("blood-pressure-cuff", "DR-CUFF"), pia, null, null);
        a.assign(a.device("scale", "DR-SCALE"), pia, null, null);
        a.assign(a.device("scale", "DR-SCALE-2"), pete, null, null);
        b.assign(b.device("blood-pressure-cuff", "DR-CUFF"), ofB, null, null);
        try (Devices devA = new Devices(a.tenant()); Devices devB = new Devices(b.tenant())) {
            devA.bloodPressure("DR-CUFF", 130, 80, at(1, 8, 0));
            devA.bloodPressure("DR-CUFF", 150, 90, at(2, 8, 0));
            devA.bloodPressure("DR-CUFF", 140, 86, at(2, 20, 30));
            devA.bloodPressure("DR-CUFF", 126, 78, at(3, 7, 15).plusMillis(500));
            devA.weight("DR-SCALE", 81.0, at(2, 7, 0));
            devA.weight("DR-SCALE", 80.6, at(3, 7, 0));
            devA.weight("DR-SCALE-2", 95.5, at(-1, 9, 0));   // five days ago
            devA.weight("DR-SCALE", 79.9, at(0, 6, 0));        // an older reading arriving last must not become the latest
            devB.bloodPressure("DR-CUFF", 170, 100, at(3, 9, 0));
        }
        Eventually.await(WAIT, () -> history.count(tenantA), n -> n == 12, "A's 12 stored values");
        Eventually.await(WAIT, () -> history.count(tenantB), n -> n == 2, "B's 2 stored values");
    }

    @AfterAll
    void close() throws Exception {
        a.close();
        b.close();
    }

    private static List<String> codes(List<StoredReading> readings) {
        return readings.stream().map(StoredReading::code).toList();
    }

    @Test
    void theLatestValueOfEveryCodeForAPageOfPatients() {
        Map<UUID, List<StoredReading>> latest = history.latestFor(tenantA, List.of(pia, pete, quiet));
        assertEquals(List.of(pia, pete, quiet), List.copyOf(latest.keySet()));
        List<StoredReading> ofPia = latest.get(pia);
        assertEquals(List.of("29463-7", "8462-4", "8480-6"), codes(ofPia));
        assertEquals(80.6, ofPia.get(0).value());
        assertEquals(78.0, ofPia.get(1).value());
        assertEquals(126.0, ofPia.get(2).value());
        assertEquals("85354-9", ofPia.get(2).panel());
        assertEquals(at(3, 7, 15).plusMillis(500), ofPia.get(2).effective());
        assertEquals(ofPia.get(1).readingId(), ofPia.get(2).readingId(), "components of one reading");
        assertEquals(history.latest(tenantA, pia), ofPia, "the same as the single-patient read");
        assertEquals(List.of("29463-7"), codes(latest.get(pete)));
        assertEquals(List.of(), latest.get(quiet));
        assertEquals(Map.of(), history.latestFor(tenantA, List.of()));
    }

    @Test
    void daysWithReadingsInAPeriod() {
        Map<UUID, Set<LocalDate>> days = history.readingDays(tenantA, List.of(pia, pete, quiet), at(0, 0, 0), Instant.now(), UTC);
        assertEquals(List.of(d0, d0.plusDays(1), d0.plusDays(2), d0.plusDays(3)), List.copyOf(days.get(pia)));
        assertEquals(Set.of(), days.get(pete), "Pete's only reading is before the period");
        assertEquals(Set.of(), days.get(quiet));
        assertEquals(Set.of(d0.minusDays(1)), history.readingDays(tenantA, List.of(pete), at(-2, 0, 0), at(0, 0, 0), UTC).get(pete));
        // from is inclusive and to exclusive, to the millisecond
        Instant last = at(3, 7, 15).plusMillis(500);
        assertEquals(Set.of(d0.plusDays(3)), history.readingDays(tenantA, List.of(pia), last, last.plusMillis(1), UTC).get(pia));
        assertEquals(Set.of(), history.readingDays(tenantA, List.of(pia), last.minusSeconds(60), last, UTC).get(pia));
        assertEquals(Set.of(), history.readingDays(tenantA, List.of(pia), last.plusMillis(1), last.plusSeconds(60), UTC).get(pia));
    }

    @Test
    void daysAreTheClinicsCalendarDays() {
        ZoneId clinic = ZoneId.of("America/Los_Angeles");
        List<Instant> taken = List.of(at(1, 8, 0), at(2, 8, 0), at(2, 20, 30), at(3, 7, 15).plusMillis(500), at(2, 7, 0),
                at(3, 7, 0), at(0, 6, 0));
        Set<LocalDate> local = taken.stream().map(t -> t.atZone(clinic).toLocalDate()).collect(Collectors.toCollection(TreeSet::new));
        Set<LocalDate> utc = taken.stream().map(t -> t.atZone(UTC).toLocalDate()).collect(Collectors.toCollection(TreeSet::new));
        assertNotEquals(utc, local, "the readings were chosen so that evenings in California are the next day in UTC");
        assertEquals(local, history.readingDays(tenantA, List.of(pia), at(-1, 0, 0), Instant.now(), clinic).get(pia));
        assertEquals(utc, history.readingDays(tenantA, List.of(pia), at(-1, 0, 0), Instant.now(), UTC).get(pia));
    }

    @Test
    void aBloodPressureChartIsOneSeriesPerComponentInDailyBuckets() {
        List<Series> series = history.series(tenantA, pia, "85354-9", at(0, 0, 0), Instant.now(), Duration.ofDays(1));
        assertEquals(List.of("8480-6", "8462-4"), series.stream().map(Series::code).toList(), "mean pressure was not measured");
        Series systolic = series.get(0);
        assertEquals("mm[Hg]", systolic.unit());
        assertEquals(List.of(new SeriesPoint(at(1, 0, 0), 130, 130, 130, 1), new SeriesPoint(at(2, 0, 0), 140, 150, 145, 2),
                new SeriesPoint(at(3, 0, 0), 126, 126, 126, 1)), systolic.points());
        assertEquals(List.of(80.0, 88.0, 78.0), series.get(1).points().stream().map(SeriesPoint::mean).toList());
    }

    @Test
    void bucketsAreAlignedToTheEpochAndEmptyOnesLeftOut() {
        List<Series> hourly = history.series(tenantA, pia, "8480-6", at(2, 0, 0), at(3, 0, 0), Duration.ofHours(1));
        assertEquals(1, hourly.size());
        assertEquals(List.of(at(2, 8, 0), at(2, 20, 0)), hourly.get(0).points().stream().map(SeriesPoint::start).toList());
        List<Series> weight = history.series(tenantA, pia, "29463-7", at(0, 0, 0), Instant.now(), Duration.ofHours(6));
        assertEquals(List.of(new Series("29463-7", "kg", List.of(new SeriesPoint(at(0, 6, 0), 79.9, 79.9, 79.9, 1),
                new SeriesPoint(at(2, 6, 0), 81.0, 81.0, 81.0, 1),
                new SeriesPoint(at(3, 6, 0), 80.6, 80.6, 80.6, 1)))), weight);
        assertEquals(List.of(new Series("59408-5", "%", List.of())),
                history.series(tenantA, pia, "59408-5", at(0, 0, 0), Instant.now(), Duration.ofDays(1)), "never measured");
    }

    @Test
    void bucketsMustBeLongEnough() {
        assertThrows(IllegalArgumentException.class,
                () -> history.series(tenantA, pia, "8480-6", at(0, 0, 0), Instant.now(), Duration.ofMillis(500)));
        assertThrows(IllegalArgumentException.class,
                () -> history.series(tenantA, pia, "8480-6", Instant.now().minus(Duration.ofDays(90)), Instant.now(), Duration.ofMinutes(1)));
        assertEquals(1, history.series(tenantA, pia, "8480-6", Instant.now().minus(Duration.ofDays(90)), Instant.now(),
                Duration.ofMinutes(10)).size(), "90 days in 10-minute buckets is allowed");
    }

    @Test
    void anotherTenantsReadingsNeverAppear() {
        // B asks about A's patients: nothing, although B's own cuff has the same serial.
        assertEquals(List.of(), history.latestFor(tenantB, List.of(pia)).get(pia));
        assertEquals(Set.of(), history.readingDays(tenantB, List.of(pia), at(0, 0, 0), Instant.now(), UTC).get(pia));
        assertTrue(history.series(tenantB, pia, "85354-9", at(0, 0, 0), Instant.now(), Duration.ofDays(1)).stream()
                .allMatch(s -> s.points().isEmpty()));
        assertEquals(List.of(), history.latestFor(tenantA, List.of(ofB)).get(ofB));
        assertEquals(List.of(170.0), history.series(tenantB, ofB, "8480-6", at(0, 0, 0), Instant.now(), Duration.ofDays(1))
                .get(0).points().stream().map(SeriesPoint::max).toList());
        assertEquals(Set.of(d0.plusDays(3)), history.readingDays(tenantB, List.of(ofB), at(0, 0, 0), Instant.now(), UTC).get(ofB));
    }
}
