package org.vigil.simulator;

import io.nats.client.Connection;
import io.nats.client.ConnectionListener;
import io.nats.client.ErrorListener;
import io.nats.client.Nats;
import io.nats.client.Options;
import org.vigil.core.TenantId;

import java.io.IOException;
import java.net.URI;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The simulator's command line: seed the registry, publish readings, and get access tokens from the stack's Keycloak.
 * Results go to stdout (for {@code token}, only the token, so scripts can capture it); progress and diagnostics go
 * to stderr.
 */
public final class SimulatorMain {
    static final int OK = 0;
    static final int FAILED = 1;
    static final int USAGE = 2;

    static final String USAGE_TEXT = """
            usage: java -jar vigil-simulator.jar <command> [options]

              seed    --tenant T --patients N [--name "Display name"]
                      [--pg-url jdbc:postgresql://127.0.0.1:15432/vigil] [--pg-user U] [--pg-password P]
                  Writes the fleet (tenant, patients, MRNs, 5 devices each, assignments) into PostgreSQL.
                  Idempotent.

              run     --tenant T --patients N [--nats nats://127.0.0.1:14222] [--mode live|backfill]
                      [--rate R] [--count K] [--duration 60s] [--days 30] [--until INSTANT] [--faults 0.001]
                      [--abnormal 0.02] [--seed 42] [--in-flight 4000] [--stream-wait 30s]
                      [--utc-offset-hours 0] [--edge none|hub]
                  live (default): readings timed now, about R/s for the whole fleet (default 20), until
                  --count or --duration is reached or Ctrl-C. backfill: K readings (default 28 per patient and
                  day) spread over the --days days before --until (default now), all distinct, published as
                  fast as acks allow or at --rate; the same --until and --seed republish identical messages
                  (the stream acks them as duplicates). --faults: fraction replaced by malformed JSON,
                  unknown devices and pre-assignment timestamps. --abnormal: probability of an
                  out-of-range episode per reading. --edge hub: scales and thermometers send hub
                  envelopes in lb and °F, with battery, signal and firmware (the edge path).

              print   --tenant T --patients N [--count 10] [--days 30] [--until I] [--faults F] [--abnormal P] [--seed S]
                  Prints backfill messages as "subject msgId payload" lines instead of publishing them.

              patient-id --tenant T --index I
                  Prints the UUID of patient I (0-based) of the tenant's simulated fleet.

              token   --user U [--password vigil-dev] | --tenant T [--role care-manager] | --role platform-admin
                      [--keycloak http://127.0.0.1:18180]
                  Prints an access token of the realm vigil (password grant of its dev-only client vigil-cli):
                  of an existing user (the realm's example users: carla.demo, tina.demo, ... password
                  vigil-dev), or of the user "<role>@<tenant>" ("<role>" without --tenant), which it makes
                  first if needed through the admin API (roles: care-manager, physician, tenant-admin,
                  platform-admin). Lifetime: the client's (an hour in the local realm).

            Defaults come from VIGIL_PG_HOST (127.0.0.1), VIGIL_PG_PORT (15432), VIGIL_PG_DB (vigil),
            VIGIL_PG_OWNER_USER, VIGIL_PG_OWNER_PASSWORD, VIGIL_NATS_URL and VIGIL_KEYCLOAK_URL when set
            (eval "$(ops/stack env)").""";

    private static final Set<String> FLEET = Set.of("tenant", "patients");
    private static final Set<String> PG = Set.of("pg-url", "pg-user", "pg-password", "name");
    private static final Set<String> GENERATION = Set.of("count", "days", "until", "faults", "abnormal", "seed",
            "utc-offset-hours");
    private static final Set<String> RUN = Set.of("nats", "mode", "rate", "duration", "in-flight", "stream-wait", "edge");

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    public SimulatorMain(Map<String, String> env, PrintStream out, PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    public static void main(String[] args) {
        int code = new SimulatorMain(System.getenv(), System.out, System.err).execute(args);
        System.out.flush();
        System.exit(code);
    }

    public int execute(String[] args) {
        try {
            CliArgs cli = CliArgs.parse(args);
            return switch (cli.command()) {
                case "seed" -> seed(cli);
                case "run" -> run(cli);
                case "print" -> print(cli);
                case "token" -> token(cli);
                case "patient-id" -> patientId(cli);
                case "help", "-h", "--help" -> {
                    out.println(USAGE_TEXT);
                    yield OK;
                }
                default -> throw new UsageException("unknown command '" + cli.command() + "'");
            };
        } catch (UsageException e) {
            err.println("error: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("interrupted");
            return FAILED;
        } catch (IllegalStateException e) {
            // ours, written to be read as is
            err.println("failed: " + e.getMessage());
            return FAILED;
        } catch (Exception e) {
            err.println("failed: " + PublishCounters.describe(e));
            return FAILED;
        }
    }

    private int seed(CliArgs cli) throws UsageException, SQLException {
        cli.allowOnly(union(FLEET, PG));
        Fleet fleet = fleet(cli, 0);
        String url = cli.string("pg-url", "jdbc:postgresql://" + env.getOrDefault("VIGIL_PG_HOST", "127.0.0.1") + ":"
                + env.getOrDefault("VIGIL_PG_PORT", "15432") + "/" + env.getOrDefault("VIGIL_PG_DB", "vigil"));
        String user = cli.string("pg-user", env.getOrDefault("VIGIL_PG_OWNER_USER", "vigil_owner"));
        String password = cli.string("pg-password", env.getOrDefault("VIGIL_PG_OWNER_PASSWORD", "vigil_owner_dev"));
        String name = cli.string("name", fleet.tenant().value() + " (simulated)");
        long start = System.nanoTime();
        SeedResult result;
        try {
            result = new FleetSeeder(ConnectionSource.of(url, user, password)).seed(fleet, name);
        } catch (SQLException e) {
            err.println("failed: could not seed " + url + " as " + user + ": " + PublishCounters.describe(e)
                    + (e.getSQLState() != null && e.getSQLState().startsWith("42") ? " (are the migrations applied?)" : ""));
            return FAILED;
        }
        out.println("seeded tenant " + fleet.tenant() + " with " + fleet.patients().size() + " patients and "
                + fleet.devices().size() + " devices into " + url + " in "
                + Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + result.summary());
        return OK;
    }

    private int run(CliArgs cli) throws Exception {
        cli.allowOnly(union(FLEET, GENERATION, RUN));
        long seed = cli.longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Fleet fleet = fleet(cli, seed);
        ReadingGenerator generator = generator(cli, fleet);
        String mode = cli.string("mode", "live");
        Optional<Duration> duration = cli.duration("duration");
        Duration streamWait = cli.duration("stream-wait").orElse(Duration.ofSeconds(30));
        int inFlight = (int) cli.longValue("in-flight", PublishSettings.defaults().maxInFlight(), 1, 1_000_000);
        String natsUrl = cli.string("nats", env.getOrDefault("VIGIL_NATS_URL", "nats://127.0.0.1:14222"));

        // The clock for --duration and the live schedule start only once the stream is there: waiting for the
        // backend must neither eat the run's duration nor leave a backlog of overdue measurements to burst out.
        AtomicBoolean interrupted = new AtomicBoolean();
        AtomicLong deadline = new AtomicLong();
        BooleanSupplier stop = () -> interrupted.get()
                || (duration.isPresent() && System.nanoTime() - deadline.get() >= 0);

        Supplier<Iterator<SimMessage>> messages;
        double publishRate;
        switch (mode) {
            case "live" -> {
                double rate = cli.doubleValue("rate", 20, 0.001, 10_000_000);
                if (cli.optional("days").isPresent() || cli.optional("until").isPresent()) {
                    throw new UsageException("--days and --until apply to --mode backfill only");
                }
                long count = cli.longValue("count", Long.MAX_VALUE, 0, Long.MAX_VALUE);
                messages = () -> Sources.limit(LiveSource.realTime(generator, rate, stop), count);
                publishRate = 0;
            }
            case "backfill" -> {
                int days = (int) cli.longValue("days", 30, 1, 3650);
                long count = cli.longValue("count", BackfillSource.defaultCount(fleet.patients().size(), days), 0, Long.MAX_VALUE);
                Iterator<SimMessage> backfill = backfill(generator, count, days, until(cli));
                messages = () -> Sources.until(backfill, stop);
                publishRate = cli.doubleValue("rate", 0, 0, 10_000_000);
            }
            default -> throw new UsageException("--mode must be live or backfill, was '" + mode + "'");
        }
        double faultProbability = cli.doubleValue("faults", 0, 0, 1);
        String edge = cli.string("edge", "none");
        if (!edge.equals("none") && !edge.equals("hub")) {
            throw new UsageException("--edge must be none or hub, was '" + edge + "'");
        }

        Options options = new Options.Builder()
                .server(natsUrl)
                .connectionName("vigil-simulator-" + fleet.tenant())
                .connectionTimeout(Duration.ofSeconds(5))
                .maxReconnects(-1)
                .errorListener(new ErrorListener() {
                    // one line per problem instead of the client's default multi-line log records
                    @Override
                    public void errorOccurred(Connection conn, String error) {
                        err.println("nats: " + error);
                    }

                    @Override
                    public void exceptionOccurred(Connection conn, Exception exp) {
                        err.println("nats: " + PublishCounters.describe(exp));
                    }
                })
                .connectionListener((conn, event) -> {
                    if (event == ConnectionListener.Events.DISCONNECTED || event == ConnectionListener.Events.RECONNECTED) {
                        err.println("nats: " + event.name().toLowerCase(java.util.Locale.ROOT));
                    }
                })
                .build();
        Connection nats;
        try {
            nats = Nats.connect(options);
        } catch (IOException e) {
            err.println("failed: cannot connect to NATS at " + natsUrl + " (" + PublishCounters.describe(e)
                    + "). Is the dev stack up? (ops/stack status)");
            return FAILED;
        }
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            err.println("stopping: waiting for outstanding acks...");
            try {
                finished.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
        }, "vigil-sim-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try (nats) {
            JetStreamPublisher publisher = new JetStreamPublisher(nats.jetStream(), nats.jetStreamManagement(),
                    PublishSettings.defaults().withRate(publishRate).withMaxInFlight(inFlight), err::println);
            String probe = generator.encoder().subject(fleet.devices().get(0).identifier());
            String stream = publisher.awaitStream(probe, streamWait);
            duration.ifPresent(d -> deadline.set(System.nanoTime() + d.toNanos()));
            Iterator<SimMessage> source = messages.get();
            FaultInjector faults = faultProbability > 0
                    ? new FaultInjector(source, faultProbability, generator.encoder(), seed) : null;
            if (faults != null) {
                source = faults;
            }
            if (edge.equals("hub")) {
                source = new HubEnvelopes(source, fleet.tenant());
            }
            err.println("publishing " + mode + " readings for tenant " + fleet.tenant() + " (" + fleet.patients().size()
                    + " patients, " + fleet.devices().size() + " devices) to stream " + stream + " at " + natsUrl);
            PublishCounters counters = new PublishCounters();
            PublishStats stats;
            try (ProgressReporter ignored = new ProgressReporter(counters, err, 5)) {
                stats = publisher.publish(source, counters);
            }
            out.println(stats.summary());
            if (faults != null) {
                out.println("faults injected: " + faults.injected());
            }
            stats.failures().forEach(f -> err.println("failed: " + f));
            return stats.failed() == 0 ? OK : FAILED;
        } finally {
            out.flush();
            finished.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // Ctrl-C: the hook is running and returns now that we are done
            }
        }
    }

    private int print(CliArgs cli) throws UsageException {
        cli.allowOnly(union(FLEET, GENERATION));
        long seed = cli.longValue("seed", 42, Long.MIN_VALUE, Long.MAX_VALUE);
        Fleet fleet = fleet(cli, seed);
        ReadingGenerator generator = generator(cli, fleet);
        int days = (int) cli.longValue("days", 30, 1, 3650);
        Iterator<SimMessage> source = backfill(generator, cli.longValue("count", 10, 0, Long.MAX_VALUE), days, until(cli));
        FaultInjector faults = faults(cli, source, generator, seed);
        if (faults != null) {
            source = faults;
        }
        while (source.hasNext()) {
            SimMessage m = source.next();
            out.println(m.subject() + " " + m.msgId() + " " + new String(m.payload(), StandardCharsets.UTF_8));
        }
        return OK;
    }

    private int token(CliArgs cli) throws UsageException {
        cli.allowOnly(Set.of("user", "password", "tenant", "role", "keycloak"));
        Optional<String> user = cli.optional("user");
        String url = cli.string("keycloak", env.getOrDefault("VIGIL_KEYCLOAK_URL", KeycloakRealm.DEFAULT_URL));
        KeycloakUsers users = new KeycloakUsers(KeycloakAdmin.of(KeycloakRealm.local(URI.create(url))));
        if (user.isPresent()) {
            if (cli.optional("tenant").isPresent() || cli.optional("role").isPresent()) {
                throw new UsageException("--user names an existing user: no --tenant or --role with it");
            }
            out.println(users.passwordToken(user.get(), cli.string("password", KeycloakRealm.DEV_PASSWORD)));
            return OK;
        }
        if (cli.optional("password").isPresent()) {
            throw new UsageException("--password goes with --user");
        }
        String role = cli.string("role", "care-manager");
        if (!KeycloakUsers.ROLES.contains(role)) {
            throw new UsageException("--role must be one of " + String.join(", ", KeycloakUsers.ROLES) + ", was '" + role + "'");
        }
        if (cli.optional("tenant").isEmpty() && !role.equals("platform-admin")) {
            throw new UsageException("'token' needs --user, or --tenant (a " + role + " belongs to a tenant)");
        }
        String tenant = cli.optional("tenant").isPresent() ? tenant(cli).value() : null;
        out.println(users.token(tenant, role));
        return OK;
    }

    private int patientId(CliArgs cli) throws UsageException {
        cli.allowOnly(Set.of("tenant", "index"));
        TenantId tenant = tenant(cli);
        cli.required("index");
        int index = (int) cli.longValue("index", 0, 0, DeviceIdentifiers.MAX_PATIENTS - 1);
        out.println(Fleet.patientId(tenant, index));
        return OK;
    }

    private static TenantId tenant(CliArgs cli) throws UsageException {
        String t = cli.required("tenant");
        if (!TenantId.isValid(t)) {
            throw new UsageException("--tenant '" + t + "' is not a tenant id: 2-63 chars of a-z, 0-9 and '-'");
        }
        return new TenantId(t);
    }

    private static Fleet fleet(CliArgs cli, long seed) throws UsageException {
        TenantId tenant = tenant(cli);
        cli.required("patients");
        int patients = (int) cli.longValue("patients", 0, 1, DeviceIdentifiers.MAX_PATIENTS);
        return Fleet.generate(tenant, patients, seed);
    }

    private static ReadingGenerator generator(CliArgs cli, Fleet fleet) throws UsageException {
        double abnormal = cli.doubleValue("abnormal", Physiology.DEFAULT_OUT_OF_RANGE_PROBABILITY, 0, 1);
        long offsetHours = cli.longValue("utc-offset-hours", 0, -12, 14);
        return new ReadingGenerator(fleet, new Physiology(abnormal, offsetHours * 3_600_000L),
                new ReadingEncoder(fleet.tenant()));
    }

    /** Backfills end now unless --until pins them, which makes a rerun publish the very same messages. */
    private static Instant until(CliArgs cli) throws UsageException {
        Optional<String> until = cli.optional("until");
        if (until.isEmpty()) {
            return Instant.now();
        }
        try {
            return Instant.parse(until.get());
        } catch (java.time.format.DateTimeParseException e) {
            throw new UsageException("--until must be an instant like 2026-11-21T00:00:00Z, was '" + until.get() + "'");
        }
    }

    private static Iterator<SimMessage> backfill(ReadingGenerator generator, long count, int days, Instant end)
            throws UsageException {
        try {
            return new BackfillSource(generator, count, end, Duration.ofDays(days));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static FaultInjector faults(CliArgs cli, Iterator<SimMessage> source, ReadingGenerator generator, long seed)
            throws UsageException {
        double p = cli.doubleValue("faults", 0, 0, 1);
        return p > 0 ? new FaultInjector(source, p, generator.encoder(), seed) : null;
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        return Arrays.stream(sets).flatMap(Set::stream).collect(java.util.stream.Collectors.toUnmodifiableSet());
    }
}
