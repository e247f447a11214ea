package org.vigil.bench;

import org.vigil.core.TenantId;
import org.vigil.telemetry.ClickHouseSettings;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.Series;
import org.vigil.telemetry.internal.ClickHouseConnections;
import org.vigil.telemetry.internal.ClickHouseMigrator;
import org.vigil.telemetry.internal.ClickHouseReadingStore;
import ru.yandex.clickhouse.ClickHouseConnection;
import ru.yandex.clickhouse.ClickHouseStatement;
import ru.yandex.clickhouse.domain.ClickHouseFormat;
import ru.yandex.clickhouse.util.ClickHouseRowBinaryStream;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * The dashboard's ClickHouse reads on a big table: a patient's 90-day chart ({@link ReadingHistory#series}) and the
 * roster's per-page reads ({@code latestFor}, {@code readingDays} for 100 patients), through Vigil's own store, each
 * against a raw baseline in the same run: {@code SELECT count()} over the same patient, code and range through the
 * same driver, which is the least any chart query must pay (the index lookup, the granules, the HTTP round trip).
 *
 * <p>The table is filled straight into {@code vigil.readings} (RowBinary, the backend's own column list), in time
 * order as ingest would write it: P patients over D days, each with an hourly blood pressure (two rows), a heart
 * rate four times and an SpO2 twice a day and a daily weight (55 rows a patient-day), plus one wearable patient with a
 * heart rate every minute for the last 90 days. A second run on the same stack reuses the rows.
 */
final class DashboardBench {
    static final String TENANT = "bench-dash";
    /** Rows per patient and day: 24 blood pressures (2 rows each), 4 heart rates, 2 SpO2, 1 weight. */
    static final int ROWS_PER_PATIENT_DAY = 55;
    private static final int BATCH_ROWS = 500_000;
    private static final String COLUMNS = "tenant_id, patient_id, device_id, code, panel, value, unit, original_value, "
            + "original_unit, effective, effective_ms, received, received_ms, device_time, device_time_ms, source_format, "
            + "flags, raw_ref, content_hash";

    record Options(int patients, int days, int denseDays, int repeat) {
        static Options parse(List<String> args) {
            BenchArgs a = BenchArgs.parse(args, "dashboard", java.util.Set.of("--patients", "--days", "--dense-days", "--repeat"));
            Options o = new Options(a.integer("--patients", 1_000), a.integer("--days", 180), a.integer("--dense-days", 90),
                    a.integer("--repeat", 30));
            if (o.patients() < 100 || o.days() < 90 || o.denseDays() < 1 || o.denseDays() > o.days() || o.repeat() < 1) {
                throw new IllegalArgumentException("need --patients >= 100 (a roster page), --days >= 90 (the chart), "
                        + "1 <= --dense-days <= --days, --repeat >= 1");
            }
            return o;
        }

        long rows() {
            return (long) patients * days * ROWS_PER_PATIENT_DAY + (long) denseDays * 1440;
        }
    }

    /** Patient i of the bench tenant; the wearable is patient -1. */
    static UUID patient(int i) {
        return UUID.nameUUIDFromBytes(("bench-dash-patient-" + i).getBytes(StandardCharsets.UTF_8));
    }

    private final BenchEnv env;
    private final Options options;
    private final PrintStream out;

    DashboardBench(BenchEnv env, Options options, PrintStream out) {
        this.env = env;
        this.options = options;
        this.out = out;
    }

    void run() throws Exception {
        String http = "jdbc:clickhouse://" + env.clickHouseHttp();
        ClickHouseConnections connections = new ClickHouseConnections(new ClickHouseSettings(http, "vigil", "default", "", 120_000));
        long m0 = System.nanoTime();
        // Applies the ClickHouse migrations, as the backend does at start (on a table already full, V3 fills readings_latest).
        ClickHouseReadingStore store = new ClickHouseReadingStore(connections, new ClickHouseMigrator(connections));
        say("Schema in place (%.1f s).", (System.nanoTime() - m0) / 1e9);
        Instant end = Instant.now().truncatedTo(ChronoUnit.HOURS);
        try (ClickHouseConnection c = (ClickHouseConnection) DriverManager.getConnection(env.clickHouseJdbc("vigil"))) {
            long have = scalar(c, "SELECT count() FROM readings WHERE tenant_id = '" + TENANT + "'");
            if (have >= options.rows()) {
                say("Reusing the %,d rows of tenant %s already in vigil.readings.", have, TENANT);
                end = Instant.ofEpochSecond(scalar(c, "SELECT toUInt32(max(effective)) + 1 FROM readings WHERE tenant_id = '" + TENANT + "'"))
                        .truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
            } else if (have > 0) {
                throw new IllegalStateException("tenant " + TENANT + " has " + have + " rows, fewer than this run needs: run on a fresh stack");
            } else {
                load(c, end);
            }
            say("vigil.readings: %,d rows in all (%s on disk), %d active parts; tenant %s: %,d rows",
                    scalar(c, "SELECT count() FROM readings"), text(c, "SELECT formatReadableSize(sum(bytes)) FROM system.parts "
                            + "WHERE active AND database = 'vigil' AND table = 'readings'"),
                    scalar(c, "SELECT count() FROM system.parts WHERE active AND database = 'vigil' AND table = 'readings'"),
                    TENANT, scalar(c, "SELECT count() FROM readings WHERE tenant_id = '" + TENANT + "'"));
            say("readings_latest: %,d states for %,d (patient, code) pairs", scalar(c, "SELECT count() FROM readings_latest"),
                    scalar(c, "SELECT count() FROM (SELECT DISTINCT tenant_id, patient_id, code FROM readings_latest)"));
            measure(store, c, end);
        } finally {
            connections.connection().close();
        }
    }

    private void load(ClickHouseConnection c, Instant end) throws SQLException {
        Instant start = end.minus(Duration.ofDays(options.days()));
        Instant denseStart = end.minus(Duration.ofDays(options.denseDays()));
        say("Loading %,d rows: %,d patients x %d days x %d rows, and a wearable's heart rate every minute for %d days…",
                options.rows(), options.patients(), options.days(), ROWS_PER_PATIENT_DAY, options.denseDays());
        long t0 = System.nanoTime();
        List<Row> batch = new ArrayList<>(BATCH_ROWS + 1000);
        SplittableRandom random = new SplittableRandom(42);
        long rows = 0;
        // Hour by hour for every patient, as devices would report: what ingest writes is time-ordered, not patient-ordered.
        for (Instant hour = start; hour.isBefore(end); hour = hour.plus(Duration.ofHours(1))) {
            int h = (int) ((hour.getEpochSecond() / 3600) % 24);
            for (int p = 0; p < options.patients(); p++) {
                Instant t = hour.plusSeconds(random.nextInt(3600));
                double sys = 105 + random.nextInt(60);
                batch.add(new Row(p, "8480-6", "85354-9", sys, "mm[Hg]", t));
                batch.add(new Row(p, "8462-4", "85354-9", sys * 0.6 + random.nextInt(10), "mm[Hg]", t));
                if (h % 6 == 0) {
                    batch.add(new Row(p, "8867-4", "", 55 + random.nextInt(50), "/min", t.plusSeconds(60)));
                }
                if (h % 12 == 3) {
                    batch.add(new Row(p, "59408-5", "", 90 + random.nextInt(10), "%", t.plusSeconds(120)));
                }
                if (h == 7) {
                    batch.add(new Row(p, "29463-7", "", 60 + p % 50 + random.nextDouble(), "kg", t.plusSeconds(180)));
                }
            }
            if (!hour.isBefore(denseStart)) {
                for (int m = 0; m < 60; m++) {
                    batch.add(new Row(-1, "8867-4", "", 60 + random.nextInt(40), "/min", hour.plusSeconds(60L * m)));
                }
            }
            if (batch.size() >= BATCH_ROWS) {
                rows += insert(c, batch);
                batch.clear();
            }
        }
        rows += insert(c, batch);
        double s = (System.nanoTime() - t0) / 1e9;
        say("Loaded %,d rows in %.1f s (%,.0f rows/s).", rows, s, rows / s);
    }

    private record Row(int patient, String code, String panel, double value, String unit, Instant effective) {
    }

    private long seq;

    private int insert(ClickHouseConnection c, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return 0;
        }
        try (ClickHouseStatement st = c.createStatement()) {
            st.write().send("INSERT INTO vigil.readings (" + COLUMNS + ")", out -> {
                for (Row r : rows) {
                    write(out, r);
                }
            }, ClickHouseFormat.RowBinary);
        }
        return rows.size();
    }

    private void write(ClickHouseRowBinaryStream out, Row r) throws IOException {
        String hash = String.format(Locale.ROOT, "%032x", ++seq);
        String device = r.patient() < 0 ? "BENCH-WEARABLE" : "BENCH-" + r.patient() + "-" + (r.panel().isEmpty() ? r.code() : r.panel());
        long s = r.effective().getEpochSecond();
        out.writeString(TENANT);
        out.writeUUID(patient(r.patient()));
        out.writeString(device);
        out.writeString(r.code());
        out.writeString(r.panel());
        out.writeFloat64(r.value());
        out.writeString(r.unit());
        out.writeFloat64(r.value());
        out.writeString(r.unit());
        out.writeUInt32(s);
        out.writeUInt16(0);
        out.writeUInt32(s + 5);
        out.writeUInt16(0);
        out.writeUInt32(s);
        out.writeUInt16(0);
        out.writeString("canonical");
        out.writeUnsignedLeb128(0);
        out.writeString("bench");
        out.writeBytes(hash.getBytes(StandardCharsets.US_ASCII));
    }

    private void measure(ReadingHistory history, ClickHouseConnection c, Instant end) throws SQLException {
        TenantId tenant = new TenantId(TENANT);
        Instant from = end.minus(Duration.ofDays(90));
        int n = options.repeat();
        List<UUID> page = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            page.add(patient(i));
        }
        UUID wearable = patient(-1);
        // Each chart is asked for a different patient in turn (up to 20), so no single one's granules stay cached.
        Supplier<UUID> next = new Supplier<>() {
            private int i;

            @Override
            public UUID get() {
                return patient(i++ % Math.min(20, options.patients()));
            }
        };
        List<Check> checks = List.of(
                new Check("baseline: raw count(), 90 days of systolic", () -> count(c, next.get(), "8480-6", from, end)),
                new Check("series BP panel, 90 d, daily buckets", () -> points(history.series(tenant, next.get(), "85354-9", from, end, Duration.ofDays(1)))),
                new Check("series BP panel, 90 d, hourly buckets", () -> points(history.series(tenant, next.get(), "85354-9", from, end, Duration.ofHours(1)))),
                new Check("series weight, 90 d, daily buckets", () -> points(history.series(tenant, next.get(), "29463-7", from, end, Duration.ofDays(1)))),
                new Check("baseline: raw count(), wearable's 90 d of heart rate", () -> count(c, wearable, "8867-4", from, end)),
                new Check("series wearable heart rate, 90 d, hourly", () -> points(history.series(tenant, wearable, "8867-4", from, end, Duration.ofHours(1)))),
                new Check("series wearable heart rate, 90 d, daily", () -> points(history.series(tenant, wearable, "8867-4", from, end, Duration.ofDays(1)))),
                new Check("latestFor, a page of 100 patients", () -> history.latestFor(tenant, page).values().stream().mapToLong(List::size).sum()),
                new Check("readingDays, 100 patients, 30 days", () -> history.readingDays(tenant, page, end.minus(Duration.ofDays(30)), end)
                        .values().stream().mapToLong(java.util.Set::size).sum()));
        for (Check check : checks) {   // warm-up: JIT, ClickHouse's mark cache
            for (int i = 0; i < 3; i++) {
                check.run();
            }
        }
        out.println();
        out.printf(Locale.ROOT, "Vigil dashboard reads (ClickHouse 18.16, %s rows in the tenant), %d runs each, %d cores%n",
                String.format(Locale.ROOT, "%,d", options.rows()), n, Runtime.getRuntime().availableProcessors());
        int width = 54;
        out.println(Latencies.header(width) + "  result");
        for (Check check : checks) {
            long[] nanos = new long[n];
            long result = 0;
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                result = check.run();
                nanos[i] = System.nanoTime() - t0;
            }
            out.println(Latencies.ofNanos(nanos).row(check.name(), width) + "  " + String.format(Locale.ROOT, "%,d", result));
        }
        out.println("  (result: the baselines' row counts; the series' points over all their series; latestFor's values; readingDays' days)");
    }

    private record Check(String name, Supplier<Long> query) {
        long run() {
            return query.get();
        }
    }

    private static long points(List<Series> series) {
        return series.stream().mapToLong(s -> s.points().size()).sum();
    }

    private static long count(ClickHouseConnection c, UUID patient, String code, Instant from, Instant to) {
        try (PreparedStatement ps = c.prepareStatement("SELECT count() FROM readings WHERE tenant_id = ? AND patient_id = ? "
                + "AND code = ? AND effective >= toDateTime(?) AND effective < toDateTime(?)")) {
            ps.setString(1, TENANT);
            ps.setString(2, patient.toString());
            ps.setString(3, code);
            ps.setLong(4, from.getEpochSecond());
            ps.setLong(5, to.getEpochSecond());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static long scalar(ClickHouseConnection c, String sql) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static String text(ClickHouseConnection c, String sql) throws SQLException {
        try (var st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
    }
}
