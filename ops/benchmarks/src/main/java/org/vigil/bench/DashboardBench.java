package org.vigil.bench;

import org.vigil.alerting.Alerts;
import org.vigil.core.TenantId;
import org.vigil.simulator.KeycloakRealm;
import org.vigil.simulator.KeycloakUsers;
import org.vigil.telemetry.ClickHouseSettings;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.Series;
import org.vigil.telemetry.internal.ClickHouseConnections;
import org.vigil.telemetry.internal.ClickHouseMigrator;
import org.vigil.telemetry.internal.ClickHouseReadingStore;
import org.vigil.ui.data.PatientCharts;
import org.vigil.ui.data.PatientRoster;
import ru.yandex.clickhouse.ClickHouseConnection;
import ru.yandex.clickhouse.ClickHouseStatement;
import ru.yandex.clickhouse.domain.ClickHouseFormat;
import ru.yandex.clickhouse.util.ClickHouseRowBinaryStream;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The dashboard on big data, each figure against a baseline measured in the same run (absolute times on these
 * 2-core machines are noisy; ratios much less so). Nothing is asserted: the aims are printed next to the
 * figures with whether this run met them.
 *
 * <p><b>Charts and roster reads (ClickHouse).</b> A patient's 90-day chart ({@link ReadingHistory#series}), the
 * chart as the patient page builds it ({@link PatientCharts#chart}: the patient's thresholds, the aggregation, the SVG)
 * and the roster's per-page reads ({@code latestFor}, {@code readingDays} for 100 patients), through Vigil's own
 * services, against {@code SELECT count()} over the same patient, code and range through the same driver, which is
 * the least any chart query must pay (the index lookup, the granules, the HTTP round trip). The table is filled
 * straight into {@code vigil.readings} (RowBinary, the backend's own column list), in time order as ingest would
 * write it: P patients over D days, each with an hourly blood pressure (two rows), a heart rate four times and an
 * SpO2 twice a day and a daily weight (55 rows a patient-day), plus one wearable patient with a heart rate every
 * minute for the last W days. A second run on the same stack reuses the rows.
 *
 * <p><b>The triage queue with 10,000 open alerts (PostgreSQL).</b> The backend runs with its dashboard; the alerts
 * come from readings over the limits published to NATS ({@link TriageAlerts}). Then the queue's first page as
 * {@code TriageView} reads it when it opens ({@link Alerts#page}, {@link Alerts#count}, {@link Alerts#countsBySeverity}),
 * in this process, against the same first page read with one plain JDBC statement through the same index; and what
 * a care manager sees: Chromium signed in through Keycloak's login page loads {@code /} until the first row of the
 * grid shows, against a static page of the same server ({@code /signed-out}) and a Vaadin view without data
 * ({@code /access-denied}) in the same browser.
 */
final class DashboardBench {
    static final String TENANT = "bench-dash";
    /** Rows per patient and day: 24 blood pressures (2 rows each), 4 heart rates, 2 SpO2, 1 weight. */
    static final int ROWS_PER_PATIENT_DAY = 55;
    /** What the issue asks of the dashboard. */
    static final Duration TRIAGE_AIM = Duration.ofSeconds(1);
    static final Duration CHART_AIM = Duration.ofMillis(300);
    private static final int BATCH_ROWS = 500_000;
    private static final int WIDTH = 60;
    private static final String COLUMNS = "tenant_id, patient_id, device_id, code, panel, value, unit, original_value, "
            + "original_unit, effective, effective_ms, received, received_ms, device_time, device_time_ms, source_format, "
            + "flags, raw_ref, content_hash";
    /** What the triage grid's first row shows once rendered: the queue starts with the critical alerts. */
    static final DashboardBrowser.Sight FIRST_ROW = new DashboardBrowser.Sight("triage", ".vigil-triage-grid vaadin-grid-cell-content",
            "Critical");
    static final DashboardBrowser.Sight SIGNED_OUT = new DashboardBrowser.Sight("signed-out", "h1", "Your session has ended");
    static final DashboardBrowser.Sight ACCESS_DENIED = new DashboardBrowser.Sight("access-denied", "h1", "Not available to your role");

    /**
     * @param alerts        unresolved alerts of the triage tenant
     * @param alertPatients patients they are spread over (at most {@value TriageAlerts#MAX_PER_PATIENT} alerts each)
     * @param pageLoads     timed page loads per page in the browser
     */
    record Options(int patients, int days, int denseDays, int repeat, int alerts, int alertPatients, int pageLoads, Path appJar) {
        static Options parse(List<String> args) {
            BenchArgs a = BenchArgs.parse(args, "dashboard", Set.of("--patients", "--days", "--dense-days", "--repeat", "--alerts",
                    "--alert-patients", "--page-loads", "--app-jar"));
            Options o = new Options(a.integer("--patients", 1_000), a.integer("--days", 180), a.integer("--dense-days", 90),
                    a.integer("--repeat", 30), a.integer("--alerts", 10_000), a.integer("--alert-patients", 2_000),
                    a.integer("--page-loads", 20), a.path("--app-jar"));
            if (o.patients() < 100 || o.days() < 90 || o.denseDays() < 1 || o.denseDays() > o.days() || o.repeat() < 1) {
                throw new IllegalArgumentException("need --patients >= 100 (a roster page), --days >= 90 (the chart), "
                        + "1 <= --dense-days <= --days, --repeat >= 1");
            }
            if (o.alerts() < 50 || o.alertPatients() < 1 || o.alerts() > (long) o.alertPatients() * TriageAlerts.MAX_PER_PATIENT
                    || o.pageLoads() < 1) {
                throw new IllegalArgumentException("need --alerts >= 50 (a full first page), at most " + TriageAlerts.MAX_PER_PATIENT
                        + " per patient of --alert-patients, and --page-loads >= 1");
            }
            if (o.appJar() == null) {
                throw new IllegalArgumentException("--app-jar is required (the backend serves the dashboard)");
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
    /** The figures the aims are judged on, kept for the summary at the end. */
    private final Map<String, Latencies> aims = new java.util.LinkedHashMap<>();

    DashboardBench(BenchEnv env, Options options, PrintStream out) {
        this.env = env;
        this.options = options;
        this.out = out;
    }

    void run() throws Exception {
        preflight();
        String http = "jdbc:clickhouse://" + env.clickHouseHttp();
        ClickHouseConnections connections = new ClickHouseConnections(new ClickHouseSettings(http, "vigil", "default", "", 120_000));
        long m0 = System.nanoTime();
        // Applies the ClickHouse migrations, as the backend does at start (on a table already full, V3 fills readings_latest).
        new ClickHouseReadingStore(connections, new ClickHouseMigrator(connections));
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

            say("Starting the backend with its dashboard on %s…", env.uiUrl());
            try (Backend backend = Backend.start(options.appJar(), Map.of("vigil.ui.enabled", "true",
                    "vigil.ui.port", Integer.toString(URI.create(env.uiUrl()).getPort()), "vigil.ui.public-url", env.uiUrl(),
                    "vigil.ui.issuer", env.oidcIssuer()))) {
                say("Backend pid %d (log %s), java options: %s", backend.pid(), backend.log(),
                        System.getenv().getOrDefault("VIGIL_BACKEND_JAVA_OPTS", Backend.DEFAULT_JAVA_OPTS));
                TriageAlerts.Made made = new TriageAlerts(env, out).make(backend, options.alerts(), options.alertPatients());
                try (DashboardServices services = DashboardServices.start(env)) {
                    measure(services, c, end);
                    triage(services.alerts(), made);
                }
                browser(backend);
                summary(made);
            }
        } finally {
            connections.connection().close();
        }
    }

    /** What the browser part needs, checked before the load: a missing piece should cost seconds, not the whole run. */
    private void preflight() throws Exception {
        DashboardBrowser.checkInstalled();
        if (!Files.isRegularFile(options.appJar())) {
            throw new IllegalStateException("no backend jar at " + options.appJar());
        }
        String discovery = env.oidcIssuer() + "/.well-known/openid-configuration";
        try {
            int status = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build().send(HttpRequest.newBuilder(URI.create(discovery))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status != 200) {
                throw new IllegalStateException("answered " + status);
            }
        } catch (Exception e) {
            throw new IllegalStateException("Keycloak's realm is not there (" + discovery + ": "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + "): the dashboard "
                    + "benchmark signs in through it; start the stack with --keycloak (ops/bench dashboard does)", e);
        }
        int port = URI.create(env.uiUrl()).getPort();
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            // free: the backend's dashboard will take it
        } catch (IOException e) {
            throw new IllegalStateException("the dashboard's port " + port + " (" + env.uiUrl() + ") is in use: another backend of "
                    + "this stack running with its dashboard? Find it with: ss -ltnp 'sport = :" + port + "'", e);
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

    private void measure(DashboardServices services, ClickHouseConnection c, Instant end) {
        ReadingHistory history = services.history();
        PatientCharts charts = services.charts();
        PatientRoster roster = services.roster();
        TenantId tenant = new TenantId(TENANT);
        Instant from = end.minus(Duration.ofDays(90));
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
        // The patient page's way (PatientView): the patient's thresholds, then each vital's chart for the period. Its
        // alert markers come from a list the page reads from PostgreSQL beforehand; these patients have none.
        Supplier<Long> bpChart = () -> chart(charts, roster, tenant, next.get(), "85354-9", from, end);
        Supplier<Long> wearableChart = () -> chart(charts, roster, tenant, wearable, "8867-4", from, end);
        Check bp = new Check("chart BP, 90 d: thresholds + series + SVG", bpChart);
        Check hr = new Check("chart wearable heart rate, 90 d: thresholds + series + SVG", wearableChart);
        List<Check> checks = List.of(
                new Check("baseline: raw count(), 90 days of systolic", () -> count(c, next.get(), "8480-6", from, end)),
                new Check("series BP panel, 90 d, daily buckets", () -> points(history.series(tenant, next.get(), "85354-9", from, end, Duration.ofDays(1)))),
                new Check("series BP panel, 90 d, hourly buckets", () -> points(history.series(tenant, next.get(), "85354-9", from, end, Duration.ofHours(1)))),
                bp,
                new Check("series weight, 90 d, daily buckets", () -> points(history.series(tenant, next.get(), "29463-7", from, end, Duration.ofDays(1)))),
                new Check("baseline: raw count(), wearable's 90 d of heart rate", () -> count(c, wearable, "8867-4", from, end)),
                new Check("series wearable heart rate, 90 d, hourly", () -> points(history.series(tenant, wearable, "8867-4", from, end, Duration.ofHours(1)))),
                new Check("series wearable heart rate, 90 d, daily", () -> points(history.series(tenant, wearable, "8867-4", from, end, Duration.ofDays(1)))),
                hr,
                // which charts the page has: the patient's latest value per code (PatientCharts.vitals)
                new Check("vitals: the page's charts (ReadingHistory.latest)", () -> (long) charts.vitals(tenant, next.get()).size()),
                new Check("charts: every vital of a patient's page (4), 90 d", () -> charts.charts(tenant, next.get(), from, end, List.of(), ZoneOffset.UTC)
                        .stream().mapToLong(PatientCharts.Chart::readings).sum()),
                new Check("latestFor, a page of 100 patients", () -> history.latestFor(tenant, page).values().stream().mapToLong(List::size).sum()),
                new Check("readingDays, 100 patients, 30 Chicago days", () -> history.readingDays(tenant, page, end.minus(Duration.ofDays(30)), end,
                                java.time.ZoneId.of("America/Chicago"))
                        .values().stream().mapToLong(java.util.Set::size).sum()));
        warmUp(checks);
        out.println();
        out.printf(Locale.ROOT, "Vigil dashboard reads (ClickHouse 18.16, %s rows in the tenant), %d runs each, %d cores%n",
                String.format(Locale.ROOT, "%,d", options.rows()), options.repeat(), Runtime.getRuntime().availableProcessors());
        out.println(Latencies.headerWithP95(WIDTH) + "  result");
        for (Check check : checks) {
            Latencies l = time(check);
            if (check == bp) {
                aims.put("chart BP", l);
            } else if (check == hr) {
                aims.put("chart HR", l);
            }
        }
        out.println("  (result: the baselines' row counts; the series' points over all their series; the charts' readings; vitals' "
                + "charts; latestFor's values; readingDays' days)");
        out.println("  (chart: PatientCharts.chart as the patient page calls it: PatientRoster.thresholds, the series in ClickHouse "
                + "in the chart's own buckets (a day for 90 days), the SVG by TrendChart)");
    }

    /** One chart as PatientView builds it; the result is the readings it aggregates. */
    private static long chart(PatientCharts charts, PatientRoster roster, TenantId tenant, UUID patient, String code, Instant from,
                              Instant to) {
        PatientCharts.Chart chart = charts.chart(tenant, patient, code, from, to, roster.thresholds(tenant, patient), List.of(),
                ZoneOffset.UTC);
        if (!chart.svg().startsWith("<svg")) {
            throw new IllegalStateException("chart " + code + " is not an SVG: " + chart.svg().substring(0, Math.min(80, chart.svg().length())));
        }
        return chart.readings();
    }

    /** Warm-up: JIT, connection pools, ClickHouse's mark cache, PostgreSQL's buffers. */
    private static void warmUp(List<Check> checks) {
        for (Check check : checks) {
            for (int i = 0; i < 3; i++) {
                check.run();
            }
        }
    }

    /** Runs the check --repeat times and prints its row. */
    private Latencies time(Check check) {
        int n = options.repeat();
        long[] nanos = new long[n];
        long result = 0;
        for (int i = 0; i < n; i++) {
            long t0 = System.nanoTime();
            result = check.run();
            nanos[i] = System.nanoTime() - t0;
        }
        Latencies l = Latencies.ofNanos(nanos);
        out.println(l.rowWithP95(check.name(), WIDTH) + "  " + String.format(Locale.ROOT, "%,d", result));
        return l;
    }

    /**
     * The triage queue's first page as TriageView reads it when it opens with no filter, against the same page read
     * by one statement on a plain connection as the same role, through the same index (alerts_triage: the queue's
     * order, partial on unresolved, non-canary alerts).
     */
    private void triage(Alerts alerts, TriageAlerts.Made made) throws SQLException {
        TenantId tenant = new TenantId(TriageAlerts.TENANT);
        Alerts.Query query = new Alerts.Query(null, null, null, null, null, 50);
        try (Connection raw = DriverManager.getConnection(env.pgUrl(), env.pgApp(), env.pgAppPassword())) {
            try (PreparedStatement ps = raw.prepareStatement("SELECT set_config('vigil.tenant', ?, false)")) {
                ps.setString(1, tenant.value());
                ps.execute();
            }
            Check baseline = new Check("baseline: one SELECT … ORDER BY … LIMIT 50 (plain JDBC)", () -> firstPage(raw));
            Check page = new Check("Alerts.page(0, 50): the grid's first page", () -> (long) alerts.page(tenant, query, 0, 50).size());
            Check count = new Check("Alerts.count: the grid's size", () -> (long) alerts.count(tenant, query));
            Check counts = new Check("Alerts.countsBySeverity: the header's counts", () -> (long) alerts.countsBySeverity(tenant, query)
                    .values().stream().mapToInt(Integer::intValue).sum());
            Check all = new Check("first page in all: page + count + countsBySeverity", () -> {
                alerts.page(tenant, query, 0, 50);
                alerts.count(tenant, query);
                return (long) alerts.countsBySeverity(tenant, query).size();
            });
            List<Check> checks = List.of(baseline, page, count, counts, all);
            warmUp(checks);
            out.println();
            out.printf(Locale.ROOT, "Triage queue, server time (PostgreSQL 15): %,d unresolved alerts of tenant %s over %,d patients "
                    + "(%s), %d runs each%n", made.open(), TriageAlerts.TENANT, made.patients(), severities(made.bySeverity()), options.repeat());
            out.printf(Locale.ROOT, "  alerts %s%s%n", made.how(), made.took() == null ? "" : String.format(Locale.ROOT,
                    ": %,d readings, published -> all open in %.1f s%s", made.readings(), made.took().toNanos() / 1e9,
                    made.drained() == null ? "; their deliveries were still going out while measuring"
                            : String.format(Locale.ROOT, ", their events delivered %.1f s later", made.drained().toNanos() / 1e9)));
            out.println(Latencies.headerWithP95(WIDTH) + "  result");
            for (Check check : checks) {
                Latencies l = time(check);
                if (check == all) {
                    aims.put("triage server", l);
                } else if (check == baseline) {
                    aims.put("triage baseline", l);
                }
            }
            out.println("  (result: rows of the page; the count; the sum of the counts; in all: the number of severities)");
        }
    }

    private static long firstPage(Connection c) {
        try (PreparedStatement ps = c.prepareStatement("SELECT alert_id, patient_id, alert_key, program, status, severity, code, unit, "
                + "first_value, last_value, limit_value, summary, count, first_seen, last_seen, opened_at, assignee, snoozed_until, late "
                + "FROM alerts WHERE tenant_id = ? AND status <> 'resolved' AND NOT canary "
                + "ORDER BY CASE severity WHEN 'critical' THEN 0 WHEN 'warning' THEN 1 ELSE 2 END, opened_at, alert_id LIMIT 50")) {
            ps.setString(1, TriageAlerts.TENANT);
            long rows = 0;
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    rows++;
                }
            }
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static String severities(Map<String, Integer> bySeverity) {
        List<String> parts = new ArrayList<>();
        bySeverity.forEach((s, n) -> parts.add(String.format(Locale.ROOT, "%,d %s", n, s)));
        return String.join(", ", parts);
    }

    /**
     * What a care manager sees: page loads in Chromium, signed in once through the realm's login page, against two
     * pages of the same server in the same browser: a static page (the server's and the browser's floor) and a
     * Vaadin view without data (Vaadin's own cost: bootstrap, the client engine, the layout).
     */
    private void browser(Backend backend) {
        String user = KeycloakUsers.username(TriageAlerts.TENANT, "care-manager");
        backend.tokens().token(TriageAlerts.TENANT, "care-manager");   // makes the user, with the realm's dev password
        String password = backend.tokens().admin().realm().userPassword();
        String base = env.uiUrl().endsWith("/") ? env.uiUrl().substring(0, env.uiUrl().length() - 1) : env.uiUrl();
        int n = options.pageLoads();
        try (DashboardBrowser browser = DashboardBrowser.launch(List.of(FIRST_ROW, SIGNED_OUT, ACCESS_DENIED))) {
            long t0 = System.nanoTime();
            browser.signIn(base + "/", user, password, FIRST_ROW);
            say("Signed in as %s through Keycloak's login page (%.1f s, Chromium %s).", user, (System.nanoTime() - t0) / 1e9,
                    browser.version());
            record Target(String name, String key, String path, String url, DashboardBrowser.Sight sight) {
            }
            List<Target> targets = List.of(
                    new Target("baseline: /signed-out (static HTML, same server)", "browser static", "/signed-out", base + "/signed-out",
                            SIGNED_OUT),
                    new Target("baseline: /access-denied (Vaadin view, no data)", "browser vaadin", "/access-denied", base + "/access-denied",
                            ACCESS_DENIED),
                    new Target("/ triage: until the first row of the grid shows", "browser triage", "/ (triage)", base + "/", FIRST_ROW));
            for (Target t : targets) {
                for (int i = 0; i < 3; i++) {
                    browser.load(t.url(), t.sight());
                }
            }
            out.println();
            out.printf(Locale.ROOT, "What a care manager sees: page loads in headless Chromium, signed in, browser cache warm, "
                    + "%d loads each, interleaved%n", n);
            out.println(Latencies.headerWithP95(WIDTH));
            // interleaved, so that a slow moment of the machine falls on all three alike
            DashboardBrowser.Load[][] loads = new DashboardBrowser.Load[targets.size()][n];
            for (int i = 0; i < n; i++) {
                for (int k = 0; k < targets.size(); k++) {
                    loads[k][i] = browser.load(targets.get(k).url(), targets.get(k).sight());
                }
            }
            for (int k = 0; k < targets.size(); k++) {
                Latencies l = Latencies.ofNanos(Arrays.stream(loads[k]).mapToLong(x -> Math.round(x.shownMillis() * 1e6)).toArray());
                aims.put(targets.get(k).key(), l);
                out.println(l.rowWithP95(targets.get(k).name(), WIDTH));
            }
            out.println("  (measured in the page: from the start of the navigation, from a blank page, until the first frame showing "
                    + "what only the finished page has, its heading or a grid cell with a Critical badge, was painted)");
            out.println("  where the time goes, medians over the loads: Vaadin's requests (init, UIDL round trips), start to last byte; "
                    + "the rest is the browser's (scripts, layout, rendering, cached files)");
            for (int k = 1; k < targets.size(); k++) {
                DashboardBrowser.Load[] ls = loads[k];
                double requests = median(Arrays.stream(ls).mapToDouble(DashboardBrowser.Load::vaadinRequests).toArray());
                double server = median(Arrays.stream(ls).mapToDouble(DashboardBrowser.Load::vaadinMillis).toArray());
                double rest = median(Arrays.stream(ls).mapToDouble(x -> x.shownMillis() - x.vaadinMillis()).toArray());
                out.printf(Locale.ROOT, "    %-" + (WIDTH - 2) + "s %.0f requests, %.0f ms in them; %.0f ms the rest%n",
                        targets.get(k).path(), requests, server, rest);
            }
            out.println("  its timeline, medians in ms from the start of the navigation as the page measured it: document, "
                    + "scripts, Vaadin's init answered (0: none, the page carries the view), last UIDL answered, shown; main "
                    + "thread blocked by long tasks");
            for (int k = 1; k < targets.size(); k++) {
                DashboardBrowser.Load[] ls = loads[k];
                out.printf(Locale.ROOT, "    %-" + (WIDTH - 2) + "s html %.0f, scripts %.0f, init %.0f, uidl %.0f, shown %.0f; "
                                + "long tasks %.0f%n", targets.get(k).path(), median(ls, DashboardBrowser.Timeline::html),
                        median(ls, DashboardBrowser.Timeline::scripts), median(ls, DashboardBrowser.Timeline::init),
                        median(ls, DashboardBrowser.Timeline::lastUidl), median(ls, DashboardBrowser.Timeline::shown),
                        median(ls, DashboardBrowser.Timeline::longTasks));
            }
        }
    }

    private static double median(DashboardBrowser.Load[] loads, ToDoubleFunction<DashboardBrowser.Timeline> step) {
        return median(Arrays.stream(loads).mapToDouble(l -> step.applyAsDouble(l.timeline())).toArray());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        java.util.Arrays.sort(v);
        // nearest rank, as Latencies: a value that was measured
        return v.length == 0 ? Double.NaN : v[(int) Math.ceil(0.5 * v.length) - 1];
    }

    private void summary(TriageAlerts.Made made) {
        out.println();
        out.printf(Locale.ROOT, "Aims of the issue, judged on this run's p95 (p50 / p95):%n");
        aim(String.format(Locale.ROOT, "triage first page in the browser, %,d open alerts", made.open()), "browser triage", TRIAGE_AIM,
                "browser vaadin", "the data-less Vaadin view");
        aim("triage first page, server time (page + count + counts)", "triage server", TRIAGE_AIM, "triage baseline", "one plain SELECT");
        aim("90-day BP chart, server time (PatientCharts.chart)", "chart BP", CHART_AIM, null, null);
        aim("90-day wearable heart-rate chart, server time", "chart HR", CHART_AIM, null, null);
    }

    private void aim(String label, String key, Duration aim, String baselineKey, String baselineName) {
        Latencies l = aims.get(key);
        String against = baselineKey == null ? "" : String.format(Locale.ROOT, "; %.1f x %s (p50)", l.p50() / aims.get(baselineKey).p50(),
                baselineName);
        boolean met = l.p95() < aim.toNanos() / 1e6;
        out.printf(Locale.ROOT, "  %-" + WIDTH + "s %7.1f / %7.1f ms  aim < %s: %s%s%n", label, l.p50(), l.p95(), format(aim),
                met ? "met" : "NOT met", against);
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
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
