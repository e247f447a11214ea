package org.vigil.bench;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.vigil.core.ContentHash;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.ehr.DeviceInfo;
import org.vigil.ehr.Interpretation;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.PatientIdentity;
import org.vigil.ehr.fhir.FhirResources;
import org.vigil.ehr.hl7.Hl7Header;
import org.vigil.ehr.hl7.OruMessages;
import org.vigil.sandbox.EhrSandbox;
import org.vigil.sandbox.SandboxOptions;
import org.vigil.simulator.ConnectionSource;
import org.vigil.simulator.DeviceKind;
import org.vigil.simulator.Fleet;
import org.vigil.simulator.FleetSeeder;
import org.vigil.simulator.ReadingEncoder;
import org.vigil.simulator.SimDevice;
import org.vigil.simulator.SimPatient;
import org.vigil.simulator.SimMessage;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.function.Predicate;

/**
 * {@code ops/bench ehr}: how fast EHR sync empties its outbox into an EHR, per transport mode, against a raw client
 * sending equivalent payloads to the same sandbox EHR in the same run.
 * <p>
 * Each mode gets a tenant of its own with one endpoint that receives every reading, so only one dispatcher works at
 * a time. Production and delivery are measured apart: the sandbox's listener for the mode is taken down, readings
 * are published until the outbox holds every item as pending (and the alert evaluator and telemetry writer have
 * caught up, so they do not compete with the drain), then the listener comes back and the time until the last item
 * is delivered is taken from the rows' own {@code delivered_at}. Before that, a warm-up drain (not counted) on the
 * same endpoint warms the backend's code paths, its token, patient and Device caches: what is measured is a running
 * system emptying a backlog.
 * <p>
 * The baseline renders the same kind of item with Vigil's own renderers (FhirResources, OruMessages), before the
 * clock starts, and sends it straight to the sandbox with the dispatcher's concurrency: MLLP on as many connections,
 * strict (every ACK before the next message) or with up to W unacknowledged; FHIR with the JDK HttpClient, one
 * conditional create per Observation or transaction Bundles of the endpoint's size. So the baseline is transport
 * and sandbox only, and Vigil/baseline says what the outbox, the dispatcher and the rendering cost on top.
 */
final class EhrBench {
    static final String MRN_SYSTEM = Fleet.MRN_SYSTEM;
    /** The issue's aims, items/s. */
    static final double AIM_MLLP_STRICT = 300;
    static final double AIM_FHIR_BUNDLES = 500;
    private static final Set<String> SCOPES = Set.of("system/Patient.read", "system/Observation.write", "system/Device.write");
    private static final String IDLE_POLL = "200ms";
    // Endpoint documents take d/h/m/s or ISO-8601: sub-second values are written the ISO way. A short breaker and
    // backoff so the drain starts soon after the listener is back; the figures also say how soon that was.
    private static final String BREAKER_OPEN = "PT0.25S";
    private static final String BACKOFF_MIN = "PT0.25S";
    private static final String BACKOFF_MAX = "1s";
    private static final String TIMEOUT = "5s";
    private static final String BP = "85354-9";
    /** Waiting gives up when a count has not moved for this long. */
    private static final Duration STALL = Duration.ofSeconds(60);
    private static final int LABEL = 34;

    enum Mode {
        MLLP_STRICT("mllp-strict", "MLLP strict"),
        MLLP_PIPELINED("mllp-pipelined", "MLLP pipelined"),
        FHIR_SINGLE("fhir-single", "FHIR single"),
        FHIR_BUNDLES("fhir-bundles", "FHIR bundles");

        private final String label;
        private final String title;

        Mode(String label, String title) {
            this.label = label;
            this.title = title;
        }

        String label() {
            return label;
        }

        boolean mllp() {
            return this == MLLP_STRICT || this == MLLP_PIPELINED;
        }

        /** The aim this mode has in the issue; null when it has none. */
        Double aim() {
            return this == MLLP_STRICT ? Double.valueOf(AIM_MLLP_STRICT) : this == FHIR_BUNDLES ? Double.valueOf(AIM_FHIR_BUNDLES) : null;
        }

        static Mode of(String label) {
            for (Mode m : values()) {
                if (m.label.equals(label)) {
                    return m;
                }
            }
            throw new IllegalArgumentException("unknown mode " + label + "; modes are mllp-strict, mllp-pipelined, fhir-single, fhir-bundles");
        }
    }

    /**
     * @param items       items per mode (readings, each one item for the mode's endpoint)
     * @param patients    over which the items are spread round robin, as many devices reporting at once would
     * @param window      the pipelined MLLP window
     * @param bundleSize  the FHIR transaction size of the bundles mode
     * @param concurrency the endpoint's delivery concurrency; the baseline's connections or threads
     */
    record Options(int items, int patients, int window, int bundleSize, int concurrency, List<Mode> modes, Path appJar) {
        static Options parse(List<String> args) {
            BenchArgs a = BenchArgs.parse(args, "ehr", Set.of("--items", "--patients", "--window", "--bundle-size",
                    "--concurrency", "--modes", "--app-jar"));
            int items = a.integer("--items", 10_000);
            int patients = a.integer("--patients", 100);
            int window = a.integer("--window", 10);
            int bundleSize = a.integer("--bundle-size", 50);
            int concurrency = a.integer("--concurrency", 4);
            List<Mode> modes = List.of(Mode.values());
            String named = a.text("--modes", null);
            if (named != null) {
                Set<Mode> chosen = new LinkedHashSet<>();
                for (String m : named.split(",")) {
                    chosen.add(Mode.of(m.strip()));
                }
                modes = List.copyOf(chosen);
            }
            Path appJar = a.path("--app-jar");
            if (patients < 1 || items < patients) {
                throw new IllegalArgumentException("--patients must be at least 1 and --items at least --patients");
            }
            // The endpoint document's own bounds (EndpointReader); a window of 1 is the strict mode.
            if (window < 2 || window > 100 || bundleSize < 2 || bundleSize > 500 || concurrency < 1 || concurrency > 32) {
                throw new IllegalArgumentException("--window must be 2-100, --bundle-size 2-500, --concurrency 1-32");
            }
            if (appJar == null) {
                throw new IllegalArgumentException("--app-jar is required");
            }
            return new Options(items, patients, window, bundleSize, concurrency, modes, appJar);
        }

        /** The MLLP window or FHIR bundle size the mode runs with. */
        int batch(Mode m) {
            return switch (m) {
                case MLLP_STRICT, FHIR_SINGLE -> 1;
                case MLLP_PIPELINED -> window;
                case FHIR_BUNDLES -> bundleSize;
            };
        }

        /** Items of the warm-up drain: every patient at least once, so patient searches and Device writes happen there. */
        int warmUp() {
            return Math.max(patients, Math.min(1_000, items / 10));
        }
    }

    /** Items sent in a timed window; failed ones are counted, never hidden. */
    record Rate(int items, double seconds, int failed) {
        double perSecond() {
            return items / seconds;
        }
    }

    /**
     * Vigil emptying its outbox once the endpoint was back, from the rows' delivered_at.
     *
     * @param atFirst items recorded delivered at the first instant (the first send's batch)
     */
    record Drain(int items, Duration upToFirst, Duration upToLast, Duration firstToLast, int atFirst) {
        double perSecond() {
            return items / seconds(upToLast);
        }

        /** Once sending had started: what the first batch took is left out with the batch. */
        double steadyPerSecond() {
            return (items - atFirst) / seconds(firstToLast);
        }
    }

    /** What the EHR saw of a set of items: each created (FHIR) or received (MLLP) once, more often, or never. */
    record Once(int items, int once, int more, int missing) {
        boolean exact() {
            return once == items && more == 0 && missing == 0;
        }

        static Once of(Collection<String> ids, Map<String, Integer> seen) {
            int once = 0;
            int more = 0;
            int missing = 0;
            for (String id : ids) {
                int n = seen.getOrDefault(id, 0);
                once += n == 1 ? 1 : 0;
                more += n > 1 ? 1 : 0;
                missing += n == 0 ? 1 : 0;
            }
            return new Once(ids.size(), once, more, missing);
        }

        String summary() {
            return exact() ? String.format(Locale.ROOT, "yes, %,d once", once)
                    : String.format(Locale.ROOT, "NO: %,d once, %,d more than once, %,d never", once, more, missing);
        }
    }

    /** What one mode measured. */
    record Result(Mode mode, String settings, String baselineShape, Drain vigil, Rate baseline, Once once, Once baselineOnce,
                  Rate production, Duration quiesce, CpuMeter.Usage drainCpu, CpuMeter.Usage baselineCpu, String ehrTraffic,
                  long peakRss) {
        double ratio() {
            return vigil.perSecond() / baseline.perSecond();
        }
    }

    /** A patient of a mode's tenant, with the MRN both Vigil's registry and the EHR know them by, and their cuff. */
    private record Patient(UUID id, String name, String mrn, UUID device, String serial, String ehrReference) {
    }

    private final BenchEnv env;
    private final Options options;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final FhirContext fhir = FhirContext.forR4Cached();
    private final FhirResources resources = new FhirResources(fhir);

    EhrBench(BenchEnv env, Options options) {
        this.env = env;
        this.options = options;
    }

    void run() throws Exception {
        String kek = System.getenv("VIGIL_EHR_KEK");
        if (kek == null || kek.isBlank()) {
            throw new IllegalStateException("VIGIL_EHR_KEK is not set (the backend seals the tenants' SMART signing keys with it): "
                    + "run this through ops/bench ehr, which exports the bench stack's variables");
        }
        String run = Long.toString(System.currentTimeMillis(), 36);
        try (Backend backend = Backend.start(options.appJar(), Map.of("vigil.ehr.idle-poll", IDLE_POLL));
             // Validation off: HAPI's validator costs ~30 ms per Observation here, it would measure the validator.
             EhrSandbox ehr = EhrSandbox.start(SandboxOptions.defaults().withValidate(false));
             io.nats.client.Connection nats = Nats.connect(env.natsUrl());
             Connection pg = DriverManager.getConnection(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword())) {
            say("Backend pid %d (log %s), java options: %s, -Dvigil.ehr.idle-poll=%s", backend.pid(), backend.log(),
                    System.getenv().getOrDefault("VIGIL_BACKEND_JAVA_OPTS", Backend.DEFAULT_JAVA_OPTS), IDLE_POLL);
            say("Sandbox EHR in this process: FHIR %s, MLLP port %d (validation off)", ehr.fhirBaseUrl(), ehr.mllpPort());
            CpuMeter cpu = new CpuMeter(backend.pid(), env.stack());
            List<Result> results = new ArrayList<>();
            for (Mode m : options.modes()) {
                Trial t = new Trial(m, "bench-ehr-" + run + "-" + m.label(), backend, ehr, nats, pg, cpu);
                Result r = t.run();
                results.add(r);
                printDetail(r, System.out);
            }
            print(results, System.out);
        }
    }

    /** One mode: its tenant, endpoint and patients, its baseline and Vigil's drain. */
    private final class Trial {
        private final Mode mode;
        private final String tenant;
        private final Backend backend;
        private final EhrSandbox ehr;
        private final io.nats.client.Connection nats;
        private final Connection pg;
        private final CpuMeter cpu;
        private final String endpoint;
        private final List<Patient> patients = new ArrayList<>();
        /** Readings are a minute apart per patient, oldest first, ending an hour ago. */
        private final Instant firstEffective;

        Trial(Mode mode, String tenant, Backend backend, EhrSandbox ehr, io.nats.client.Connection nats, Connection pg, CpuMeter cpu) {
            this.mode = mode;
            this.tenant = tenant;
            this.backend = backend;
            this.ehr = ehr;
            this.nats = nats;
            this.pg = pg;
            this.cpu = cpu;
            this.endpoint = mode.label();
            long slots = (options.warmUp() + options.items()) / options.patients() + 1;
            this.firstEffective = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(slots + 60));
        }

        Result run() throws Exception {
            say("");
            say("== %s: tenant %s, endpoint '%s' (%s)", mode.title, tenant, endpoint, settings());
            setUp();

            say("  baseline: %s", baselineShape());
            CpuMeter.Snapshot b0 = cpu.snapshot();
            Baseline base = baseline();
            CpuMeter.Usage baselineCpu = CpuMeter.between(b0, cpu.snapshot());
            say("    %,d items in %.1f s: %,.0f items/s (%d failed)", base.rate().items(), base.rate().seconds(),
                    base.rate().perSecond(), base.rate().failed());

            int warm = options.warmUp();
            say("  Vigil warm-up: %,d items with the endpoint up (not counted), then ANALYZE…", warm);
            publish(0, warm);
            await("warm-up delivered", this::outbox, c -> c.getOrDefault("delivered", 0L) == warm);
            analyze();

            say("  Vigil: %s listener down; publishing %,d readings…", mode.mllp() ? "MLLP" : "FHIR", options.items());
            down(true);
            long p0 = System.nanoTime();
            publish(warm, options.items());
            await("items pending in the outbox", this::pending, n -> n == options.items());
            Rate production = new Rate(options.items(), (System.nanoTime() - p0) / 1e9, 0);
            checkNothingHeld();
            long q0 = System.nanoTime();
            quiesce();
            Duration quiesce = Duration.ofNanos(System.nanoTime() - q0);
            say("    %,d pending after %.1f s (%,.0f items/s into the outbox); the evaluator and writer caught up %.1f s later",
                    options.items(), production.seconds(), production.perSecond(), quiesce.toMillis() / 1e3);

            int requests0 = ehr.requests();
            int transactions0 = ehr.transactionCount();
            int connections0 = ehr.connectionsAccepted();
            CpuMeter.Snapshot d0 = cpu.snapshot();
            Instant up = Instant.now();
            down(false);
            await("items delivered", this::pending, n -> n == 0);
            CpuMeter.Usage drainCpu = CpuMeter.between(d0, cpu.snapshot());
            Map<String, Long> end = outbox();
            if (end.getOrDefault("delivered", 0L) != warm + options.items()) {
                throw new IllegalStateException(mode.title + ": nothing pending, but not every item delivered: " + end);
            }
            Drain drain = drain(up);
            String traffic = mode.mllp()
                    ? String.format(Locale.ROOT, "%,d MLLP connections accepted", ehr.connectionsAccepted() - connections0)
                    : String.format(Locale.ROOT, "%,d FHIR requests, %,d of them transactions", ehr.requests() - requests0,
                    ehr.transactionCount() - transactions0);
            say("    delivered %,d in %.1f s after the listener came back (first after %.2f s): %,.0f items/s", drain.items(),
                    seconds(drain.upToLast()), seconds(drain.upToFirst()), drain.perSecond());

            Once once = Once.of(vigilIds(), seen());
            Once baselineOnce = Once.of(base.ids(), seen());
            long rss = backend.peakRss();
            // Done: its dispatcher stops, and the sandbox forgets what it received (memory; counts were taken above).
            api("PUT", "/api/v1/ehr/endpoints/" + endpoint, document(false), "application/yaml");
            ehr.reset();
            return new Result(mode, settings(), baselineShape(), drain, base.rate(), once, baselineOnce, production, quiesce,
                    drainCpu, baselineCpu, traffic, rss);
        }

        private String settings() {
            return (mode.mllp() ? "window " + options.batch(mode) : "bundle-size " + options.batch(mode))
                    + String.format(Locale.ROOT, ", delivery concurrency %d, timeout %s, breaker-open %s, backoff %s-%s; idle-poll %s",
                    options.concurrency(), TIMEOUT, BREAKER_OPEN, BACKOFF_MIN, BACKOFF_MAX, IDLE_POLL);
        }

        private String baselineShape() {
            int c = options.concurrency();
            return switch (mode) {
                case MLLP_STRICT -> c + " connections, each waiting for every ACK before the next message";
                case MLLP_PIPELINED -> c + " connections, each with up to " + options.window() + " messages unacknowledged";
                case FHIR_SINGLE -> c + " threads, one POST Observation with If-None-Exist each";
                case FHIR_BUNDLES -> c + " threads, transaction Bundles of " + options.bundleSize() + " conditional creates";
            };
        }

        // ------------------------------------------------------------------------------------------ set-up

        private void setUp() throws Exception {
            // The simulator's fleet, as the other benchmarks seed it: patients with MRNs, their devices, assignments.
            Fleet fleet = Fleet.generate(new TenantId(tenant), options.patients(), 42);
            new FleetSeeder(ConnectionSource.of(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword()))
                    .seed(fleet, "Benchmark EHR " + mode.label());
            for (SimPatient p : fleet.patients()) {
                SimDevice cuff = p.device(DeviceKind.BLOOD_PRESSURE_CUFF);
                String[] names = p.displayName().split(" ", 2);
                String ehrId = ehr.addPatient(MRN_SYSTEM, p.mrn().value(), names[names.length - 1], names[0]);
                patients.add(new Patient(p.patientId(), p.displayName(), p.mrn().value(), cuff.deviceId(), cuff.identifier(),
                        "Patient/" + ehrId));
            }
            if (!mode.mllp()) {
                ehr.registerClient("vigil-" + tenant, URI.create("http://127.0.0.1:" + backend.port() + "/api/v1/tenants/" + tenant
                        + "/jwks.json"), SCOPES);
            }
            api("PUT", "/api/v1/ehr/endpoints/" + endpoint, document(true), "application/yaml");
            for (Patient p : patients) {
                api("PUT", "/api/v1/patients/" + p.id() + "/consents/" + endpoint, "{\"status\":\"active\"}", "application/json");
            }
        }

        private String document(boolean enabled) {
            String delivery = "delivery:\n  concurrency: " + options.concurrency() + "\n  timeout: " + TIMEOUT + "\n  backoff-min: "
                    + BACKOFF_MIN + "\n  backoff-max: " + BACKOFF_MAX + "\n  breaker-open: " + BREAKER_OPEN + "\n";
            String head = "kind: " + (mode.mllp() ? "mllp" : "fhir") + "\nsandbox: true\nenabled: " + enabled + "\n";
            String send = "send:\n  readings: all\n";
            if (mode.mllp()) {
                return head + "mllp:\n  host: 127.0.0.1\n  port: " + ehr.mllpPort() + "\n  receiving-application: EPIC\n"
                        + "  receiving-facility: GENHOSP\n  version: \"2.5.1\"\n  window: " + options.batch(mode)
                        + "\n  patient-identifier-system: " + MRN_SYSTEM + "\n  assigning-authority: GENHOSP\n" + send + delivery;
            }
            return head + "fhir:\n  base-url: " + ehr.fhirBaseUrl() + "\n  token-url: " + ehr.tokenUrl() + "\n  client-id: vigil-" + tenant
                    + "\n  scope: " + String.join(" ", SCOPES) + "\n  patient-identifier-system: " + MRN_SYSTEM + "\n  bundle-size: "
                    + options.batch(mode) + "\n" + send + delivery;
        }

        private void down(boolean down) {
            if (mode.mllp()) {
                ehr.mllpDown(down);
            } else {
                ehr.fhirDown(down);
            }
        }

        // ------------------------------------------------------------------------------------------ readings

        /** Reading k: patient k mod P, its (k / P)-th reading, in range (no alert), published as a hub would. */
        private Instant effective(int k) {
            return firstEffective.plus(Duration.ofMinutes(k / options.patients()));
        }

        private List<Measurement> measurements(int k) {
            return List.of(new Measurement("8480-6", 110 + k % 20, "mm[Hg]"), new Measurement("8462-4", 70 + k % 10, "mm[Hg]"));
        }

        private void publish(int from, int count) {
            JetStream js;
            try {
                js = nats.jetStream();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
            ReadingEncoder encoder = new ReadingEncoder(new TenantId(tenant));
            List<CompletableFuture<PublishAck>> inFlight = new ArrayList<>();
            for (int k = from; k < from + count; k++) {
                Patient p = patients.get(k % options.patients());
                SimMessage m = encoder.panel(encoder.subject(p.serial()), p.serial(), BP, measurements(k), effective(k).toEpochMilli());
                inFlight.add(js.publishAsync(m.subject(), m.payload(), PublishOptions.builder().messageId(m.msgId()).build()));
                if (inFlight.size() == 2_000 || k == from + count - 1) {
                    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                    inFlight.clear();
                }
            }
        }

        // ------------------------------------------------------------------------------------------ outbox

        private Map<String, Long> outbox() throws SQLException {
            Map<String, Long> out = new HashMap<>();
            query("SELECT status, count(*) FROM ehr_outbox WHERE endpoint_id = ? GROUP BY status", rs -> {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getLong(2));
                }
            }, endpoint);
            return out;
        }

        /** Items pending: a count over the pending-only index, cheap enough to poll beside the dispatcher measured. */
        private long pending() throws SQLException {
            long[] n = new long[1];
            query("SELECT count(*) FROM ehr_outbox WHERE endpoint_id = ? AND status = 'pending'", rs -> {
                rs.next();
                n[0] = rs.getLong(1);
            }, endpoint);
            return n[0];
        }

        private interface Probe<T> {
            T read() throws SQLException;
        }

        /** Polls until {@code done}; gives up when what it reads has not changed for {@link #STALL}. */
        private <T> void await(String what, Probe<T> probe, Predicate<T> done) throws Exception {
            T last = null;
            long movedAt = System.nanoTime();
            while (true) {
                T now = probe.read();
                if (done.test(now)) {
                    return;
                }
                if (!now.equals(last)) {
                    last = now;
                    movedAt = System.nanoTime();
                } else if (System.nanoTime() - movedAt > STALL.toNanos()) {
                    throw new IllegalStateException(mode.title + ": waiting for " + what + ", the outbox has not changed for "
                            + STALL.toSeconds() + " s: " + outbox() + "; see the backend log " + backend.log());
                }
                // The figures come from the rows' own times, so a slow poll costs them nothing, and it keeps this
                // process's queries from competing with the dispatcher's for PostgreSQL.
                Thread.sleep(250);
            }
        }

        /**
         * Statistics that know the tenant, as autovacuum keeps them for a tenant in service: otherwise the planner
         * takes this minutes-old tenant for one with a row or two and picks plans for that (a scan of the tenant's
         * rows for each single-row update). The backlog made next is new to them, as after a real outage.
         */
        private void analyze() throws SQLException {
            try (PreparedStatement ps = pg.prepareStatement("ANALYZE ehr_outbox, ehr_consents, patients, patient_identifiers")) {
                ps.execute();
            }
        }

        private void checkNothingHeld() throws SQLException {
            Map<String, Long> c = outbox();
            if (c.getOrDefault("held", 0L) + c.getOrDefault("dead", 0L) > 0) {
                throw new IllegalStateException(mode.title + ": items held or dead, the benchmark would measure the wrong thing: " + c);
            }
        }

        /** When the items delivered after {@code up} were recorded delivered (the backend's clock; the same machine's). */
        private Drain drain(Instant up) throws SQLException {
            List<Instant> at = new ArrayList<>();
            query("SELECT delivered_at FROM ehr_outbox WHERE endpoint_id = ? AND delivered_at >= ?", rs -> {
                while (rs.next()) {
                    at.add(rs.getTimestamp(1).toInstant());
                }
            }, endpoint, Timestamp.from(up));
            at.sort(null);
            Instant first = at.get(0);
            Instant last = at.get(at.size() - 1);
            int atFirst = (int) at.stream().filter(first::equals).count();
            return new Drain(at.size(), Duration.between(up, first), Duration.between(up, last), Duration.between(first, last), atFirst);
        }

        /** The ids the EHR knows Vigil's items by: the content hash (FHIR identifier) or the MSH-10 made from it. */
        private List<String> vigilIds() throws SQLException {
            List<String> ids = new ArrayList<>();
            query("SELECT item_key FROM ehr_outbox WHERE endpoint_id = ?", rs -> {
                while (rs.next()) {
                    ids.add(mode.mllp() ? OruMessages.controlId(rs.getString(1)) : rs.getString(1));
                }
            }, endpoint);
            return ids;
        }

        private Map<String, Integer> seen() {
            return mode.mllp() ? ehr.messagesByControlId() : ehr.observationCreatesByIdentifier();
        }

        /**
         * Until the alert evaluator and the telemetry writer have reached the end of READINGS (at most a minute): the
         * readings just published keep them busy, and the drain should not share the cores with them.
         */
        private void quiesce() throws Exception {
            JetStreamManagement jsm = nats.jetStreamManagement();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                long writer = jsm.getConsumerInfo("READINGS", "telemetry-writer").getAckFloor().getStreamSequence();
                long[] evaluator = new long[1];
                try (PreparedStatement ps = pg.prepareStatement("SELECT effects_seq FROM stream_positions WHERE consumer = 'alert-evaluator'");
                     ResultSet rs = ps.executeQuery()) {
                    evaluator[0] = rs.next() ? rs.getLong(1) : 0;
                }
                long last = jsm.getStreamInfo("READINGS").getStreamState().getLastSequence();
                if (writer >= last && evaluator[0] >= last) {
                    return;
                }
                Thread.sleep(200);
            }
            say("    (the alert evaluator or the telemetry writer had not caught up after 60 s; measuring anyway)");
        }

        // ------------------------------------------------------------------------------------------ baseline

        /** A baseline's rate and the ids the EHR knows its items by. */
        private record Baseline(Rate rate, List<String> ids) {
        }

        /**
         * Items of the baseline's own: the same patients, shape and values, other devices and content hashes, so the
         * EHR creates each anew as it does Vigil's. Rendered before the clock starts; a warm-up of the same size as
         * Vigil's is sent first and not counted.
         */
        private Baseline baseline() throws Exception {
            int warm = options.warmUp();
            int n = options.items();
            List<DeviceInfo> devices = new ArrayList<>();
            for (Patient p : patients) {
                UUID id = UUID.nameUUIDFromBytes(("baseline|" + tenant + "|" + p.serial()).getBytes(StandardCharsets.UTF_8));
                devices.add(new DeviceInfo(id, "blood-pressure-cuff", "Bench cuff", "BASE-" + p.serial(), null, null, "BASE-" + p.serial()));
            }
            IntFunction<ObservationItem> item = k -> {
                DeviceInfo d = devices.get(k % options.patients());
                Instant eff = effective(k);
                return new ObservationItem(BP, measurements(k), eff, eff.plusSeconds(2), d,
                        ContentHash.of(new TenantId(tenant), d.reported(), BP, eff, measurements(k)), List.of(), Interpretation.NORMAL, null, null);
            };
            List<ObservationItem> warmItems = new ArrayList<>();
            List<ObservationItem> items = new ArrayList<>();
            for (int k = 0; k < warm + n; k++) {
                (k < warm ? warmItems : items).add(item.apply(k));
            }
            List<String> ids = new ArrayList<>();
            Rate rate;
            if (mode.mllp()) {
                Hl7Header header = new Hl7Header("VIGIL", "VIGIL", "EPIC", "GENHOSP", "2.5.1", "T");
                RawEhrClients.mllp(ehr.mllpPort(), messages(warmItems, 0, header), options.batch(mode), options.concurrency());
                List<byte[]> messages = messages(items, warm, header);
                items.forEach(i -> ids.add(OruMessages.controlId(i.contentHash())));
                rate = RawEhrClients.mllp(ehr.mllpPort(), messages, options.batch(mode), options.concurrency());
            } else {
                String bearer = ehr.issueToken(SCOPES);
                List<String> deviceRefs = new ArrayList<>();
                for (DeviceInfo d : devices) {
                    deviceRefs.add(createDevice(d, bearer));
                }
                RawEhrClients.fhir(http, requests(warmItems, 0, deviceRefs), bearer, options.concurrency());
                List<RawEhrClients.Request> requests = requests(items, warm, deviceRefs);
                items.forEach(i -> ids.add(i.contentHash()));
                rate = RawEhrClients.fhir(http, requests, bearer, options.concurrency());
            }
            return new Baseline(rate, ids);
        }

        /** ORU^R01 of items {@code from}, {@code from + 1}, …: item k is patient k mod P's, as Vigil's reading k is. */
        private List<byte[]> messages(List<ObservationItem> items, int from, Hl7Header header) {
            List<byte[]> out = new ArrayList<>(items.size());
            Instant now = Instant.now();
            for (int i = 0; i < items.size(); i++) {
                ObservationItem o = items.get(i);
                Patient p = patients.get((from + i) % options.patients());
                PatientIdentity identity = new PatientIdentity(p.id(), MRN_SYSTEM, p.mrn(), p.name(), null);
                out.add(OruMessages.reading(o, identity, "GENHOSP", header, OruMessages.controlId(o.contentHash()), now)
                        .getBytes(StandardCharsets.UTF_8));
            }
            return out;
        }

        /** Single creates or transaction Bundles of items {@code from}, {@code from + 1}, … (patient k mod P's). */
        private List<RawEhrClients.Request> requests(List<ObservationItem> items, int from, List<String> deviceRefs) {
            IParser json = fhir.newJsonParser();
            List<RawEhrClients.Request> out = new ArrayList<>();
            int size = options.batch(mode);
            List<Bundle.BundleEntryComponent> entries = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) {
                ObservationItem o = items.get(i);
                int p = (from + i) % options.patients();
                Observation obs = resources.observation(o, new Reference(patients.get(p).ehrReference()), new Reference(deviceRefs.get(p)));
                if (size == 1) {
                    out.add(new RawEhrClients.Request(ehr.fhirBaseUrl() + "/Observation", json.encodeResourceToString(obs),
                            resources.conditionalCreate(o), 1));
                    continue;
                }
                entries.add(resources.createEntry(obs, resources.conditionalCreate(o)));
                if (entries.size() == size || i == items.size() - 1) {
                    out.add(new RawEhrClients.Request(ehr.fhirBaseUrl().toString(), json.encodeResourceToString(resources.transaction(entries)), null,
                            entries.size()));
                    entries = new ArrayList<>();
                }
            }
            return out;
        }

        /** The Device our Observations reference (the sandbox refuses references to nothing, as real EHRs do). */
        private String createDevice(DeviceInfo d, String bearer) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(ehr.fhirBaseUrl() + "/" + enc(resources.deviceConditionalUrl(d))))
                    .header("Authorization", "Bearer " + bearer).header("Accept", RawEhrClients.JSON)
                    .header("Content-Type", RawEhrClients.JSON + "; charset=utf-8")
                    .PUT(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(resources.device(d)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            String location = r.headers().firstValue("Location").or(() -> r.headers().firstValue("Content-Location")).orElse(null);
            if (r.statusCode() / 100 != 2 || location == null) {
                throw new IllegalStateException("the sandbox did not create the baseline's Device: " + r.statusCode() + " " + r.body());
            }
            return location.replaceAll("^.*?(Device/[^/]+).*$", "$1");
        }

        /** {@code Device?identifier=…} with the value percent-encoded, as FhirTransport writes it. */
        private static String enc(String conditionalUrl) {
            int eq = conditionalUrl.indexOf('=');
            return conditionalUrl.substring(0, eq + 1) + URLEncoder.encode(conditionalUrl.substring(eq + 1), StandardCharsets.UTF_8);
        }

        // ------------------------------------------------------------------------------------------ plumbing

        private void api(String method, String path, String body, String contentType) throws Exception {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + backend.port() + path))
                    // asked for each call: cached by KeycloakUsers, and a mode can outlast one token's five minutes
                    .header("Authorization", "Bearer " + backend.tokens().token(tenant, "tenant-admin")).header("Content-Type", contentType)
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() / 100 != 2) {
                throw new IllegalStateException(method + " " + path + " → " + r.statusCode() + ": " + r.body());
            }
        }

        private interface Rows {
            void read(ResultSet rs) throws SQLException;
        }

        /** As the owner, in a transaction bound to the tenant: row-level security applies to the owner too. */
        private void query(String sql, Rows rows, Object... args) throws SQLException {
            pg.setAutoCommit(false);
            try {
                bind();
                try (PreparedStatement ps = pg.prepareStatement(sql)) {
                    for (int i = 0; i < args.length; i++) {
                        ps.setObject(i + 1, args[i]);
                    }
                    try (ResultSet rs = ps.executeQuery()) {
                        rows.read(rs);
                    }
                }
                pg.commit();
            } catch (SQLException e) {
                pg.rollback();
                throw e;
            } finally {
                pg.setAutoCommit(true);
            }
        }

        private void bind() throws SQLException {
            exec("SELECT set_config('vigil.tenant', ?, true)", tenant);
        }

        private void exec(String sql, Object... args) throws SQLException {
            try (PreparedStatement ps = pg.prepareStatement(sql)) {
                for (int i = 0; i < args.length; i++) {
                    ps.setObject(i + 1, args[i]);
                }
                ps.execute();
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- report

    private void printDetail(Result r, PrintStream out) {
        out.printf(Locale.ROOT, "  %-" + LABEL + "s %s%n", "CPU while Vigil drained", r.drainCpu().summary());
        out.printf(Locale.ROOT, "  %-" + LABEL + "s %s%n", "CPU while the baseline sent", r.baselineCpu().summary());
        out.printf(Locale.ROOT, "  %-" + LABEL + "s %s%n", "the sandbox saw during the drain", r.ehrTraffic());
    }

    private void print(List<Result> results, PrintStream out) {
        out.println();
        out.printf(Locale.ROOT, "Vigil EHR sync throughput: %,d items per mode from %,d patients (after a warm-up of %,d, not counted); "
                        + "delivery concurrency %d, idle-poll %s; sandbox EHR without validation; %d cores%n", options.items(),
                options.patients(), options.warmUp(), options.concurrency(), IDLE_POLL, Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "  %-27s %7s %8s %9s %11s %6s  %-20s %9s  %s%n", "mode", "items", "Vigil/s", "steady/s",
                "baseline/s", "ratio", "exactly once", "peak RSS", "aim");
        for (Result r : results) {
            Double aim = r.mode().aim();
            String size = r.mode().mllp() ? " (window " + options.batch(r.mode()) + ")" : " (bundle " + options.batch(r.mode()) + ")";
            out.printf(Locale.ROOT, "  %-27s %,7d %,8.0f %,9.0f %,11.0f %6.2f  %-20s %6.0f MB  %s%n", r.mode().title + size,
                    r.vigil().items(), r.vigil().perSecond(), r.vigil().steadyPerSecond(), r.baseline().perSecond(), r.ratio(),
                    r.once().summary(), r.peakRss() / 1e6, aim == null ? "-"
                            : String.format(Locale.ROOT, "%.0f/s: %s", aim, r.vigil().perSecond() >= aim ? "met" : "NOT MET"));
        }
        out.println("  Vigil/s: items over the time from the listener coming back to the last one recorded delivered; steady/s: from the");
        out.println("  first delivery to the last (without the breaker's re-probe and the first send); ratio: Vigil/s over baseline/s;");
        out.println("  exactly once: every item of the endpoint, warm-up included, created (FHIR) or received (MLLP) once by the sandbox;");
        out.println("  peak RSS: the backend's VmHWM after the mode (cumulative over the run).");
        for (Result r : results) {
            out.printf(Locale.ROOT, "  %s: %s; baseline %s, its items exactly once: %s; production %,.0f items/s into the outbox; "
                            + "first delivery %.2f s after the listener came back%n", r.mode().title, r.settings(), r.baselineShape(),
                    r.baselineOnce().summary(), r.production().perSecond(), seconds(r.vigil().upToFirst()));
        }
    }

    static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }

    private static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, format + "%n", args);
    }
}
