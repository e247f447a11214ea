package org.vigil.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.OrderedConsumerConfiguration;
import io.nats.client.api.PublishAck;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import io.nats.client.impl.Headers;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.core.VitalSign;
import org.vigil.simulator.ConnectionSource;
import org.vigil.simulator.DeviceKind;
import org.vigil.simulator.Durations;
import org.vigil.simulator.Fleet;
import org.vigil.simulator.FleetSeeder;
import org.vigil.simulator.JetStreamPublisher;
import org.vigil.simulator.LiveSource;
import org.vigil.simulator.Physiology;
import org.vigil.simulator.PublishCounters;
import org.vigil.simulator.PublishSettings;
import org.vigil.simulator.PublishStats;
import org.vigil.simulator.ReadingEncoder;
import org.vigil.simulator.ReadingGenerator;
import org.vigil.simulator.SimDevice;
import org.vigil.simulator.SimMessage;
import org.vigil.simulator.SimPatient;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;

/**
 * {@code ops/bench alerts}: how long a critical reading takes to become an alert while the platform is busy.
 * <p>
 * In-range readings flow at a steady rate from many patients for the whole run (they must raise nothing, and that
 * is checked). Once the alert evaluator has caught up with them, probes are published at a steady interval: each a
 * critical blood pressure from a patient no other reading comes from, so each opens an alert of its own, on the
 * cold path (patient memory and device not yet in the evaluator's caches). For each probe the figures are taken
 * from the instant just before it was published to (1) the alert row's {@code opened_at}, which AlertWriter takes
 * from the Java clock inside the transaction that commits it — the row's own time, so the benchmark's polling adds
 * nothing — and (2) the instant its event arrived on the dashboard's live subject. Between probes, a probe-sized
 * message goes through a plain stream to an ordered consumer (what the evaluator reads with), under the same load:
 * the floor any alert latency sits on. One machine, one wall clock for the backend and this process.
 */
final class AlertLatencyBench {
    static final String TENANT = "bench-alerts";
    /** The backend's defaults (IngestSettings, AlertingSettings): the stream both consumers read, and their names. */
    private static final String READINGS = "READINGS";
    private static final String EVALUATOR = "alert-evaluator";
    private static final String WRITER = "telemetry-writer";
    private static final String RAW_STREAM = "BENCH_ALERTS_RAW";
    private static final String RAW_SUBJECT = "bench.alerts.raw.";
    /**
     * Background only, before probing: the backend starts cold (JIT, pools, every patient's memory and device
     * loaded on first sight), and the backlog left from that start would be measured as alert latency. Probing
     * starts once the evaluator has stayed less than {@link #CAUGHT_UP} of readings behind for {@link #STEADY} (just
     * caught up, it is still compiling and falls behind again at the next stall), or at the latest after the
     * maximum, and the report says which; how long that took is a figure of its own.
     */
    private static final Duration MIN_WARM_UP = Duration.ofSeconds(10);
    private static final Duration MAX_WARM_UP = Duration.ofSeconds(180);
    private static final Duration CAUGHT_UP = Duration.ofMillis(250);
    private static final Duration STEADY = Duration.ofSeconds(10);
    /**
     * Patients whose critical readings, one every half second once the minimum warm-up has passed, warm both ends of
     * the alert path (opening, outbox, delivery in the backend; encoding, publishing, parsing events here): otherwise
     * the first measured probes pay for compiling it, which a running backend has long done. Not in the figures.
     */
    private static final int WARM_UP_PATIENTS = 20;
    /** A probe without an alert (or event) this long after it was published counts as never alerted. */
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(30);
    /** Critical for the defaults every unenrolled patient gets (program general: systolic critical above 180). */
    private static final double PROBE_SYSTOLIC = 200;
    /** In range (general: diastolic critical above 120), so a probe opens exactly one alert. */
    private static final double PROBE_DIASTOLIC = 100;
    private static final int LABEL = 58;

    record Options(double rate, Duration duration, int probes, int patients, Path appJar) {
        static Options parse(List<String> args) {
            BenchArgs a = BenchArgs.parse(args, "alerts", Set.of("--rate", "--duration", "--probes", "--patients", "--app-jar"));
            double rate = a.decimal("--rate", 10_000);
            Duration duration = Durations.parse(a.text("--duration", "60s"));
            int probes = a.integer("--probes", 300);
            int patients = a.integer("--patients", 2_000);
            Path appJar = a.path("--app-jar");
            if (!(rate > 0) || probes < 1 || patients < 1 || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("--rate, --duration, --probes and --patients must be positive");
            }
            if (appJar == null) {
                throw new IllegalArgumentException("--app-jar is required");
            }
            return new Options(rate, duration, probes, patients, appJar);
        }
    }

    /** A probe patient's cuff, which sends nothing but its one critical reading. */
    private record Probe(int index, UUID patient, String device) {
    }

    /**
     * What became of one probe; null where it never happened.
     *
     * @param stored    READINGS' own timestamp of the probe message
     * @param committed the alert row's opened_at
     * @param event     when the alert's "opened" event arrived on the dashboard subject
     * @param raw       the baseline message sent after this probe: published and received
     */
    private record Outcome(Probe probe, Instant published, Instant stored, Instant committed, Instant event,
                           Instant rawPublished, Instant rawReceived) {
    }

    /** @param steady whether the evaluator kept up for {@link #STEADY} before it ended, rather than time running out */
    private record WarmUp(Duration took, Lag last, boolean steady) {
    }

    /** How far each consumer is behind the end of READINGS, in messages, at one moment. */
    private record Lag(long last, long evaluator, long writer) {
        long evaluatorBehind() {
            return Math.max(0, last - evaluator);
        }

        long writerBehind() {
            return Math.max(0, last - writer);
        }
    }

    private final BenchEnv env;
    private final Options options;
    private final ObjectMapper json = new ObjectMapper();

    AlertLatencyBench(BenchEnv env, Options options) {
        this.env = env;
        this.options = options;
    }

    void run() throws Exception {
        TenantId tenant = new TenantId(TENANT);
        int n = options.probes();
        // Warm-up and probe patients come after the background ones: Fleet identities depend on the index only, so
        // the background fleet is the first `patients` of the seeded one.
        Fleet seeded = Fleet.generate(tenant, options.patients() + WARM_UP_PATIENTS + n, 42);
        Fleet background = Fleet.generate(tenant, options.patients(), 42);
        List<Probe> warmers = probes(seeded, options.patients(), WARM_UP_PATIENTS);
        List<Probe> probes = probes(seeded, options.patients() + WARM_UP_PATIENTS, n);
        Set<UUID> probed = new HashSet<>();
        warmers.forEach(p -> probed.add(p.patient()));
        probes.forEach(p -> probed.add(p.patient()));
        try (Backend backend = Backend.start(options.appJar());
             Connection feed = Nats.connect(env.natsUrl());
             Connection prober = Nats.connect(env.natsUrl());
             Connection dashboard = Nats.connect(env.natsUrl());
             Connection rawReader = Nats.connect(env.natsUrl());
             Connection monitorNats = Nats.connect(env.natsUrl());
             java.sql.Connection monitorPg = DriverManager.getConnection(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword())) {
            say("Backend pid %d (log %s), java options: %s", backend.pid(), backend.log(),
                    System.getenv().getOrDefault("VIGIL_BACKEND_JAVA_OPTS", Backend.DEFAULT_JAVA_OPTS));
            say("Seeding tenant '%s': %,d background patients, %d warm-up and %,d probe patients, 5 devices each…", TENANT,
                    options.patients(), WARM_UP_PATIENTS, n);
            new FleetSeeder(ConnectionSource.of(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword())).seed(seeded, "Benchmark alerts");
            JetStreamManagement jsm = monitorNats.jetStreamManagement();

            // Subscribed before anything is published: an event that arrived before the subscription would be lost.
            Map<UUID, Instant> eventAt = new ConcurrentHashMap<>();
            AtomicLong otherEvents = new AtomicLong();
            Dispatcher events = dashboard.createDispatcher(m -> {
                Instant at = Instant.now();
                JsonNode e = read(m.getData());
                UUID patient = UUID.fromString(e.path("patientId").asText());
                if (!probed.contains(patient)) {
                    otherEvents.incrementAndGet();
                } else if ("opened".equals(e.path("event").asText())) {
                    eventAt.putIfAbsent(patient, at);
                }
            });
            events.subscribe("vigil." + TENANT + ".alerts.>");
            dashboard.flush(Duration.ofSeconds(5));
            Baseline baseline = new Baseline(jsm, rawReader, n);

            AtomicBoolean stop = new AtomicBoolean();
            JetStreamPublisher publisher = new JetStreamPublisher(feed.jetStream(), feed.jetStreamManagement(),
                    PublishSettings.defaults(), line -> say("  %s", line));
            publisher.awaitStream(new ReadingEncoder(tenant).subject("probe"), Duration.ofSeconds(60));
            // Generated as it is published, on the live schedule (LiveSource paces): effective times are now, and
            // the simulator's share of the CPU (a SHA-256 and a JSON write per reading) is shown under "this benchmark".
            // Physiology without episodes: every background value stays inside every default limit.
            ReadingGenerator generator = new ReadingGenerator(background, new Physiology(0, 0), new ReadingEncoder(tenant));
            CompletableFuture<PublishStats> feeding = CompletableFuture.supplyAsync(
                    () -> publisher.publish(LiveSource.realTime(generator, options.rate(), stop::get), new PublishCounters()),
                    r -> new Thread(r, "bench-background").start());
            long backgroundStart = System.nanoTime();
            CpuMeter cpu = new CpuMeter(backend.pid(), env.stack());
            LagMonitor lags = new LagMonitor(jsm, monitorPg, cpu);
            lags.start();
            say("Background: %,.0f readings/s from %,d devices; warming up until the alert evaluator has kept up for %d s (%d–%d s)…",
                    options.rate(), background.devices().size(), STEADY.toSeconds(), MIN_WARM_UP.toSeconds(), MAX_WARM_UP.toSeconds());
            WarmUp warm = warmUp(lags, backgroundStart, warmers, prober.jetStream());
            say("  warm-up %.1f s; the evaluator is %,d readings behind", warm.took().toNanos() / 1e9, warm.last().evaluatorBehind());

            CpuMeter.Snapshot cpuStart = cpu.snapshot();
            Lag lagStart = lags.sampleNow();
            lags.clear();
            Instant[] published = new Instant[n];
            long[] seqs = new long[n];
            probe(probes, prober.jetStream(), baseline, published, seqs);
            CpuMeter.Usage cpuUsed = CpuMeter.between(cpuStart, cpu.snapshot());
            Lag lagEnd = lags.sampleNow();

            stop.set(true);
            PublishStats fed = feeding.get();
            Lag atEnd = lags.sampleNow();
            long stoppedAt = System.nanoTime();
            lags.stop();
            Duration[] caughtUp = caughtUp(lags, atEnd.last(), stoppedAt);

            // Latencies come from the rows' own times, so waiting here adds nothing to them. Once the evaluator has
            // reached the end of the stream every alert is committed; its event follows within moments.
            Instant deadline = Instant.now().plusSeconds(5);
            deadline = deadline.isBefore(published[n - 1].plus(PROBE_TIMEOUT)) ? published[n - 1].plus(PROBE_TIMEOUT) : deadline;
            Map<UUID, Instant> openedAt;
            while (true) {
                openedAt = openedAt(probes);
                if ((openedAt.size() == n && eventAt.size() >= n) || Instant.now().isAfter(deadline)) {
                    break;
                }
                Thread.sleep(250);
            }
            baseline.stop();
            events.unsubscribe("vigil." + TENANT + ".alerts.>");

            List<Outcome> outcomes = new ArrayList<>(n);
            for (Probe p : probes) {
                Instant committed = openedAt.get(p.patient());
                Instant stored = jsm.getMessage(READINGS, seqs[p.index()]).getTime().toInstant();
                outcomes.add(new Outcome(p, published[p.index()], stored, committed, eventAt.get(p.patient()),
                        baseline.published[p.index()], baseline.received[p.index()]));
            }
            jsm.deleteStream(RAW_STREAM);
            Path csv = writeCsv(outcomes);
            Path timeline = lags.writeTimeline();

            print(new Figures(background.devices().size(), warm, fed, cpuUsed, lagStart, lagEnd, atEnd, caughtUp, outcomes,
                    backgroundAlerts(probed), otherEvents.get(), backend.peakRss(), csv, timeline), lags, System.out);
        }
    }

    /** Everything a run measured, for {@link #print}. */
    private record Figures(int devices, WarmUp warm, PublishStats fed, CpuMeter.Usage cpu, Lag lagStart, Lag lagEnd, Lag atEnd,
                           Duration[] caughtUp, List<Outcome> outcomes, long backgroundAlerts, long otherEvents, long peakRss,
                           Path probesCsv, Path timelineCsv) {
    }

    private void print(Figures f, LagMonitor lags, PrintStream out) {
        double rate = f.fed().ackedPerSecond();
        out.println();
        out.printf(Locale.ROOT, "Vigil alert latency benchmark: %,d probes over %d s under %,.0f readings/s in the background "
                        + "(%,d patients, %,d devices); %d cores%n", options.probes(), options.duration().toSeconds(),
                options.rate(), options.patients(), f.devices(), Runtime.getRuntime().availableProcessors());
        out.printf(Locale.ROOT, "  warm-up from a cold backend: %.0f s, %s%n", f.warm().took().toNanos() / 1e9, f.warm().steady()
                ? "until the alert evaluator had kept up with the background for " + STEADY.toSeconds() + " s"
                : String.format(Locale.ROOT, "and the alert evaluator had not kept up for %d s (%,d readings behind at the end): "
                + "the probes below measure a backlog", STEADY.toSeconds(), f.warm().last().evaluatorBehind()));
        out.printf(Locale.ROOT, "  background: %,.0f readings/s achieved over %.1f s (%s)%n", rate, f.fed().elapsedSeconds(), f.fed().summary());
        out.printf(Locale.ROOT, "  CPU while probing: %s%n", f.cpu().summary());
        out.printf(Locale.ROOT, "    %s%n", f.cpu().backendThreads());
        out.printf(Locale.ROOT, "    %s%n", f.cpu().evaluatorTime());
        out.println(perReading("alert evaluator", f.lagEnd().evaluator() - f.lagStart().evaluator(), f.cpu().evaluator(), f.cpu().seconds()));
        out.println(perReading("ingest (fetch + ClickHouse writer)", f.lagEnd().writer() - f.lagStart().writer(), f.cpu().ingest(),
                f.cpu().seconds()));
        out.printf(Locale.ROOT, "  kept up? lag behind the end of READINGS while probing, sampled each second (ms at the achieved rate):%n");
        out.println(lags.line("alert evaluator (stream_positions.effects_seq)", Lag::evaluatorBehind, f.atEnd().evaluatorBehind(),
                f.caughtUp()[0], rate));
        out.println(lags.line("telemetry writer (ack floor of its consumer)", Lag::writerBehind, f.atEnd().writerBehind(),
                f.caughtUp()[1], rate));
        report(f.outcomes(), out);
        out.printf(Locale.ROOT, "  %-" + LABEL + "s %d alerts, %d events (both should be 0)%n",
                "raised by background readings", f.backgroundAlerts(), f.otherEvents());
        out.printf(Locale.ROOT, "  %-" + LABEL + "s %,.0f MB%n", "backend peak RSS (VmHWM)", f.peakRss() / 1e6);
        out.printf(Locale.ROOT, "  %-" + LABEL + "s %s%n", "every probe's times (to line tails up with stalls)", f.probesCsv());
        out.printf(Locale.ROOT, "  %-" + LABEL + "s %s%n", "lag and CPU second by second, warm-up included", f.timelineCsv());
    }

    /** One line per probe, instants as ISO-8601, so a tail can be lined up with what happened at that moment. */
    private static Path writeCsv(List<Outcome> outcomes) throws IOException {
        Path csv = Files.createTempFile("vigil-bench-alerts-", ".csv");
        List<String> lines = new ArrayList<>(outcomes.size() + 1);
        lines.add("probe,patient,published,stored,committed,event,committed_ms,event_ms,baseline_ms");
        for (Outcome o : outcomes) {
            lines.add(String.join(",", Integer.toString(o.probe().index()), o.probe().patient().toString(), str(o.published()),
                    str(o.stored()), str(o.committed()), str(o.event()), millis(o.published(), o.committed()),
                    millis(o.published(), o.event()), millis(o.rawPublished(), o.rawReceived())));
        }
        Files.write(csv, lines);
        return csv;
    }

    private static String str(Instant at) {
        return at == null ? "" : at.toString();
    }

    private static String millis(Instant from, Instant to) {
        return from == null || to == null ? "" : String.format(Locale.ROOT, "%.1f", Duration.between(from, to).toNanos() / 1e6);
    }

    /** {@code count} probe patients from index {@code from} of the fleet, with their cuffs. */
    private static List<Probe> probes(Fleet fleet, int from, int count) {
        List<Probe> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            SimPatient p = fleet.patients().get(from + i);
            SimDevice cuff = p.devices().stream().filter(d -> d.kind() == DeviceKind.BLOOD_PRESSURE_CUFF).findFirst().orElseThrow();
            out.add(new Probe(i, p.patientId(), cuff.identifier()));
        }
        return out;
    }

    /** Publishes each probe at its slot, and half an interval later the baseline's message of the same size. */
    private void probe(List<Probe> probes, JetStream js, Baseline baseline, Instant[] published, long[] seqs) throws Exception {
        ReadingEncoder encoder = new ReadingEncoder(new TenantId(TENANT));
        long interval = options.duration().toNanos() / probes.size();
        long start = System.nanoTime();
        for (Probe p : probes) {
            long slot = start + p.index() * interval;
            sleepUntil(slot);
            SimMessage m = probeMessage(encoder, p, System.currentTimeMillis());
            Headers h = new Headers().put(JetStreamPublisher.MSG_ID_HEADER, m.msgId());
            published[p.index()] = Instant.now();
            PublishAck ack = js.publish(m.subject(), h, m.payload());
            seqs[p.index()] = ack.getSeqno();

            sleepUntil(slot + interval / 2);
            baseline.publish(js, p.index(), m.payload());
            if ((p.index() + 1) % Math.max(1, probes.size() / 5) == 0) {
                say("  … %d of %d probes published", p.index() + 1, probes.size());
            }
        }
        sleepUntil(start + options.duration().toNanos());
    }

    /** The latency table, where the time goes, and the probes that never alerted. */
    private static void report(List<Outcome> outcomes, PrintStream out) {
        Latencies raw = between(outcomes, Outcome::rawPublished, Outcome::rawReceived);
        Latencies committed = between(outcomes, Outcome::published, Outcome::committed);
        out.println(Latencies.header(LABEL));
        out.println(raw.row("baseline: raw JetStream publish -> ordered consumer", LABEL)
                + (raw.count() < outcomes.size() ? "  (" + (outcomes.size() - raw.count()) + " not received)" : ""));
        out.println(committed.row("published -> alert committed (alerts.opened_at)", LABEL));
        out.println(between(outcomes, Outcome::published, Outcome::event).row("published -> alert event on vigil." + TENANT + ".alerts.>", LABEL));
        out.println("  where the time goes (READINGS' own store timestamp in between):");
        out.println(between(outcomes, Outcome::published, Outcome::stored).row("  published -> stored in READINGS", LABEL));
        out.println(between(outcomes, Outcome::stored, Outcome::committed).row("  stored -> alert committed", LABEL));
        out.println(between(outcomes, Outcome::committed, Outcome::event).row("  alert committed -> event received", LABEL));
        out.printf(Locale.ROOT, "  %-" + LABEL + "s %s%n", "p99 published -> alert committed, against the 1 s aim",
                committed.count() == 0 ? "no alerts" : String.format(Locale.ROOT, "%.0f ms (%s); %.1f x the baseline p99",
                        committed.p99(), committed.p99() <= 1000 ? "within" : "ABOVE", committed.p99() / raw.p99()));
        out.println(missing(outcomes, Outcome::committed, "alert"));
        out.println(missing(outcomes, Outcome::event, "event"));
    }

    private static Latencies between(List<Outcome> outcomes, Function<Outcome, Instant> from, Function<Outcome, Instant> to) {
        List<Duration> ds = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (from.apply(o) != null && to.apply(o) != null) {
                ds.add(Duration.between(from.apply(o), to.apply(o)));
            }
        }
        return Latencies.of(ds);
    }

    /** Probes whose alert (or event) never came, or came after the timeout; the first few by name. */
    private static String missing(List<Outcome> outcomes, Function<Outcome, Instant> seen, String what) {
        List<String> late = new ArrayList<>();
        int never = 0;
        for (Outcome o : outcomes) {
            Instant at = seen.apply(o);
            if (at == null || at.isAfter(o.published().plus(PROBE_TIMEOUT))) {
                never += at == null ? 1 : 0;
                late.add("probe " + o.probe().index() + " (patient " + o.probe().patient() + ", published " + o.published() + ": "
                        + (at == null ? "never" : "after " + Duration.between(o.published(), at).toMillis() + " ms") + ")");
            }
        }
        String label = "probes without an " + what + " within " + PROBE_TIMEOUT.toSeconds() + " s";
        if (late.isEmpty()) {
            return String.format(Locale.ROOT, "  %-" + LABEL + "s 0", label);
        }
        return String.format(Locale.ROOT, "  %-" + LABEL + "s %d (%d never, the rest later and in the figures above): %s%s", label,
                late.size(), never, String.join("; ", late.subList(0, Math.min(5, late.size()))),
                late.size() > 5 ? "; …" : "");
    }

    private boolean caughtUp(Lag l) {
        return l.evaluatorBehind() <= options.rate() * CAUGHT_UP.toNanos() / 1e9;
    }

    /** Waits at least the minimum, then until the evaluator has stayed caught up (looking twice a second), or the maximum. */
    private WarmUp warmUp(LagMonitor lags, long backgroundStart, List<Probe> warmers, JetStream js) throws Exception {
        sleepUntil(backgroundStart + MIN_WARM_UP.toNanos());
        ReadingEncoder encoder = new ReadingEncoder(new TenantId(TENANT));
        long since = -1;
        long told = System.nanoTime();
        for (int i = 0; ; i++) {
            // a patient's second critical reading updates its alert: that path gets warm too
            SimMessage m = probeMessage(encoder, warmers.get(i % warmers.size()), System.currentTimeMillis());
            js.publish(m.subject(), new Headers().put(JetStreamPublisher.MSG_ID_HEADER, m.msgId()), m.payload());
            Lag l = lags.read();
            long now = System.nanoTime();
            since = !caughtUp(l) ? -1 : since < 0 ? now : since;
            boolean steady = since >= 0 && now - since >= STEADY.toNanos();
            if (steady || now - backgroundStart >= MAX_WARM_UP.toNanos()) {
                return new WarmUp(Duration.ofNanos(now - backgroundStart), l, steady);
            }
            if (System.nanoTime() - told >= 10e9) {
                say("  … %.0f s: the evaluator is %,d readings behind, the telemetry writer %,d",
                        (System.nanoTime() - backgroundStart) / 1e9, l.evaluatorBehind(), l.writerBehind());
                told = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    /** What a consumer cost per reading while probing, and so what one core of this machine would sustain. */
    private static String perReading(String who, long readings, double cores, double seconds) {
        double rate = readings / seconds;
        double micros = cores * 1e6 / rate;
        return String.format(Locale.ROOT, "    %-36s %,7.0f readings/s consumed on %.2f cores: %,5.0f µs CPU per reading (≈ %,.0f readings/s per core)",
                who + ":", rate, cores, micros, 1e6 / micros);
    }

    private static SimMessage probeMessage(ReadingEncoder encoder, Probe p, long effectiveMillis) {
        String unit = VitalSign.SYSTOLIC_BP.unit();
        return encoder.panel(encoder.subject(p.device()), p.device(), VitalSign.BLOOD_PRESSURE.code(), List.of(
                new Measurement(VitalSign.SYSTOLIC_BP.code(), PROBE_SYSTOLIC, unit),
                new Measurement(VitalSign.DIASTOLIC_BP.code(), PROBE_DIASTOLIC, unit)), effectiveMillis);
    }

    private JsonNode read(byte[] data) {
        try {
            return json.readTree(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** How long after publishing stopped each consumer reached the end of READINGS (null: not within a minute). */
    private static Duration[] caughtUp(LagMonitor lags, long last, long stoppedAt) throws Exception {
        Duration evaluator = null;
        Duration writer = null;
        long deadline = stoppedAt + Duration.ofMinutes(1).toNanos();
        while ((evaluator == null || writer == null) && System.nanoTime() < deadline) {
            Lag l = lags.read();
            Duration since = Duration.ofNanos(System.nanoTime() - stoppedAt);
            if (evaluator == null && l.evaluator() >= last) {
                evaluator = since;
            }
            if (writer == null && l.writer() >= last) {
                writer = since;
            }
            Thread.sleep(20);
        }
        return new Duration[] {evaluator, writer};
    }

    /** When each probe patient's alert was committed, as the row says. */
    private Map<UUID, Instant> openedAt(List<Probe> probes) throws SQLException {
        Map<UUID, Instant> out = new HashMap<>();
        inTenant("SELECT patient_id, opened_at FROM alerts WHERE patient_id = ANY(?)", probes.stream().map(Probe::patient).toList(), rs -> {
            while (rs.next()) {
                out.merge(rs.getObject(1, UUID.class), rs.getTimestamp(2).toInstant(), (a, b) -> a.isBefore(b) ? a : b);
            }
        });
        return out;
    }

    /** Alerts of patients that sent nothing but in-range readings: there should be none. */
    private long backgroundAlerts(Set<UUID> probed) throws SQLException {
        long[] count = new long[1];
        inTenant("SELECT count(*) FROM alerts WHERE patient_id <> ALL(?)", List.copyOf(probed), rs -> {
            rs.next();
            count[0] = rs.getLong(1);
        });
        return count[0];
    }

    private interface Rows {
        void read(ResultSet rs) throws SQLException;
    }

    /** As the owner, in a transaction bound to the tenant: row-level security applies to the owner too. */
    private void inTenant(String sql, List<UUID> patients, Rows rows) throws SQLException {
        try (java.sql.Connection c = DriverManager.getConnection(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword())) {
            c.setAutoCommit(false);
            try (PreparedStatement bind = c.prepareStatement("SELECT set_config('vigil.tenant', ?, true)")) {
                bind.setString(1, TENANT);
                bind.execute();
            }
            Array array = c.createArrayOf("uuid", patients.toArray());
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setArray(1, array);
                try (ResultSet rs = ps.executeQuery()) {
                    rows.read(rs);
                }
            }
            c.commit();
        }
    }

    private static void sleepUntil(long nanoTime) {
        long wait;
        while ((wait = nanoTime - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf(Locale.ROOT, format + "%n", args);
    }

    /**
     * The floor: probe-sized messages through a plain file stream (as READINGS is) to an ordered consumer on a
     * connection of its own (as the evaluator reads), while the same background load runs.
     */
    private static final class Baseline {
        final Instant[] published;
        final Instant[] received;
        private final AtomicBoolean done = new AtomicBoolean();
        private final Thread reader;

        Baseline(JetStreamManagement jsm, Connection connection, int n) throws Exception {
            published = new Instant[n];
            received = new Instant[n];
            if (jsm.getStreamNames().contains(RAW_STREAM)) {
                jsm.deleteStream(RAW_STREAM);
            }
            jsm.addStream(StreamConfiguration.builder().name(RAW_STREAM).subjects(RAW_SUBJECT + ">").storageType(StorageType.File).build());
            IterableConsumer consumer = connection.getStreamContext(RAW_STREAM).createOrderedConsumer(new OrderedConsumerConfiguration()).iterate();
            reader = new Thread(() -> {
                try {
                    while (!done.get()) {
                        Message m = consumer.nextMessage(100);
                        if (m != null) {
                            Instant at = Instant.now();
                            received[Integer.parseInt(m.getSubject().substring(RAW_SUBJECT.length()))] = at;
                        }
                    }
                    consumer.stop();
                } catch (Exception e) {
                    throw new IllegalStateException("the baseline's consumer failed", e);
                }
            }, "bench-baseline-reader");
            reader.start();
        }

        void publish(JetStream js, int index, byte[] payload) throws Exception {
            published[index] = Instant.now();
            js.publish(RAW_SUBJECT + index, payload);
        }

        /** Ends the reader; what it received happens-before the caller reads {@link #received}. */
        void stop() throws InterruptedException {
            done.set(true);
            reader.join();
        }
    }

    /**
     * Samples both consumers' lag once a second. The evaluator keeps its position in PostgreSQL (a platform table,
     * no tenant rows, read as the owner); the telemetry writer is a durable consumer whose ack floor is its position.
     * Each second's CPU goes with it, so that a stall can be told apart from someone else taking the cores.
     */
    private static final class LagMonitor {
        private final JetStreamManagement jsm;
        private final java.sql.Connection pg;
        private final CpuMeter cpu;
        private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "bench-lag-monitor");
            t.setDaemon(true);
            return t;
        });
        private final List<Lag> samples = new ArrayList<>();
        private final List<String> timeline = new ArrayList<>();
        private final long start = System.nanoTime();
        private CpuMeter.Snapshot previous;

        LagMonitor(JetStreamManagement jsm, java.sql.Connection pg, CpuMeter cpu) {
            this.jsm = jsm;
            this.pg = pg;
            this.cpu = cpu;
            timeline.add("at,second,evaluator_behind,writer_behind,machine_cores,backend,evaluator_thread,evaluator_waiting_for_core,"
                    + "ingest_threads,stack_servers,this_benchmark,other_processes,stack_by_server");
        }

        void start() {
            previous = cpu.snapshot();
            timer.scheduleAtFixedRate(() -> {
                try {
                    Lag l = sampleNow();
                    CpuMeter.Snapshot now = cpu.snapshot();
                    CpuMeter.Usage u = CpuMeter.between(previous, now);
                    previous = now;
                    synchronized (this) {
                        timeline.add(String.format(Locale.ROOT, "%s,%.1f,%d,%d,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%.2f,%s",
                                Instant.now(), (System.nanoTime() - start) / 1e9, l.evaluatorBehind(), l.writerBehind(), u.machine(), u.backend(),
                                u.evaluator(), u.evaluatorWaiting(), u.ingest(), u.stackTotal(), u.bench(), u.others(),
                                u.stack().entrySet().stream().map(e -> String.format(Locale.ROOT, "%s=%.2f", e.getKey(), e.getValue()))
                                        .collect(java.util.stream.Collectors.joining(" "))));
                    }
                } catch (Exception e) {
                    say("  (lag sample failed: %s)", e);
                }
            }, 1, 1, TimeUnit.SECONDS);
        }

        void stop() throws InterruptedException {
            timer.shutdown();
            timer.awaitTermination(5, TimeUnit.SECONDS);
        }

        /** Forgets the warm-up's samples: the figures are about the probing window (the timeline keeps them). */
        synchronized void clear() {
            samples.clear();
        }

        synchronized Lag sampleNow() throws Exception {
            Lag l = read();
            samples.add(l);
            return l;
        }

        /** The consumers first, then the stream's end: a lag read this way is never below the truth. */
        synchronized Lag read() throws Exception {
            long writer = jsm.getConsumerInfo(READINGS, WRITER).getAckFloor().getStreamSequence();
            long evaluator;
            try (PreparedStatement ps = pg.prepareStatement("SELECT effects_seq FROM stream_positions WHERE consumer = ?")) {
                ps.setString(1, EVALUATOR);
                try (ResultSet rs = ps.executeQuery()) {
                    evaluator = rs.next() ? rs.getLong(1) : 0;
                }
            }
            long last = jsm.getStreamInfo(READINGS).getStreamState().getLastSequence();
            return new Lag(last, evaluator, writer);
        }

        synchronized Path writeTimeline() throws IOException {
            Path csv = Files.createTempFile("vigil-bench-alerts-timeline-", ".csv");
            Files.write(csv, timeline);
            return csv;
        }

        synchronized String line(String label, java.util.function.ToLongFunction<Lag> behind, long atEnd, Duration caughtUp, double rate) {
            long[] sorted = samples.stream().mapToLong(behind).sorted().toArray();
            long max = sorted.length == 0 ? 0 : sorted[sorted.length - 1];
            long median = sorted.length == 0 ? 0 : sorted[sorted.length / 2];
            return String.format(Locale.ROOT, "    %-48s median %,7d (%,6.0f ms), max %,7d (%,6.0f ms), at the end %,7d; caught up %s after the last publish",
                    label, median, median * 1000 / rate, max, max * 1000 / rate, atEnd,
                    caughtUp == null ? "NOT within 60 s" : String.format(Locale.ROOT, "%.2f s", caughtUp.toNanos() / 1e9));
        }
    }
}
