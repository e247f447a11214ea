package org.vigil.bench;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code ops/bench ingest [--count K] [--patients N] [--batch B] --app-jar PATH}: end-to-end ingest against
 * baselines measured in the same run on the same servers.
 * {@code ops/bench decode [--count K] [--connections C] --app-jar PATH}: decode throughput per format in process,
 * then HL7 v2 over MLLP end to end (AA after JetStream stored it) against raw JetStream publishes.
 * {@code ops/bench alerts [--rate R] [--duration D] [--probes P] [--patients N] --app-jar PATH}: published -> alert
 * committed (and -> alert event on the dashboard subject) latency of critical probes under a steady background of
 * in-range readings, against a raw JetStream publish -> consume baseline in the same run.
 * {@code ops/bench ehr [--items N] [--patients P] [--window W] [--bundle-size B] [--concurrency C] [--modes M,…] --app-jar PATH}:
 * EHR sync's outbox drained into a sandbox EHR per transport mode (MLLP strict and pipelined, FHIR single and
 * bundles), against a raw client sending equivalent payloads to the same sandbox in the same run.
 * {@code ops/bench dashboard [--patients P] [--days D] [--dense-days W] [--repeat N] [--alerts A] [--alert-patients Q]
 * [--page-loads L] --app-jar PATH}: the dashboard's ClickHouse reads (a 90-day chart as series and as the patient page
 * builds it, a roster page's latest values and reading days) on a table of about ten million rows, in process through
 * Vigil's services, against a raw count() of the same rows; then the triage queue with A open alerts made by the
 * backend's evaluator: its first page's server time against one plain SELECT, and page loads in Chromium signed in
 * through Keycloak against a static page and a data-less Vaadin view of the same server, all in the same run.
 * {@code ops/bench alerts-replay [--patients N] [--days D] [--seed S] [--readings-per-patient-day R]}: alert fatigue
 * with and without suppression, in process (no stack, no app jar).
 * Prints figures; asserts nothing, except that alerts-replay exits 1 when suppression hid a critical value.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("alerts-replay")) {
            AlertReplay.Options options = null;
            try {
                options = AlertReplay.Options.parse(Arrays.asList(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {  // NumberFormatException included
                usage(e.getMessage());
            }
            System.exit(AlertReplay.run(options, System.out));
        }
        if (args.length > 0 && args[0].equals("alerts")) {
            AlertLatencyBench.Options options = null;
            try {
                options = AlertLatencyBench.Options.parse(Arrays.asList(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {  // NumberFormatException included
                usage(e.getMessage());
            }
            new AlertLatencyBench(BenchEnv.fromEnvironment(), options).run();
            return;
        }
        if (args.length > 0 && args[0].equals("dashboard")) {
            DashboardBench.Options options = null;
            try {
                options = DashboardBench.Options.parse(Arrays.asList(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {  // NumberFormatException included
                usage(e.getMessage());
            }
            new DashboardBench(BenchEnv.fromEnvironment(), options, System.out).run();
            return;
        }
        if (args.length > 0 && args[0].equals("ehr")) {
            EhrBench.Options options = null;
            try {
                options = EhrBench.Options.parse(Arrays.asList(args).subList(1, args.length));
            } catch (IllegalArgumentException e) {  // NumberFormatException included
                usage(e.getMessage());
            }
            new EhrBench(BenchEnv.fromEnvironment(), options).run();
            return;
        }
        if (args.length == 0 || !(args[0].equals("ingest") || args[0].equals("decode"))) {
            usage("unknown or missing benchmark");
        }
        boolean decode = args[0].equals("decode");
        long count = decode ? 20_000 : 1_000_000;
        int connections = 4;
        int patients = 500;
        int batch = 10_000;
        Path appJar = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--count" -> count = Long.parseLong(require(value, args[i]).replace("_", ""));
                case "--patients" -> patients = Integer.parseInt(require(value, args[i]));
                case "--batch" -> batch = Integer.parseInt(require(value, args[i]));
                case "--connections" -> connections = Integer.parseInt(require(value, args[i]));
                case "--app-jar" -> appJar = Path.of(require(value, args[i]));
                default -> usage("unknown option " + args[i] + " in " + Arrays.toString(args));
            }
            i++;
        }
        if (appJar == null) {
            usage("--app-jar is required");
        }
        if (decode) {
            decode(BenchEnv.fromEnvironment(), (int) count, connections, appJar);
        } else {
            new IngestBench(BenchEnv.fromEnvironment(), count, patients, batch, appJar).run();
        }
    }

    private static void decode(BenchEnv env, int messages, int connections, Path appJar) throws Exception {
        new DecodeBench().run();
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // The tenant must exist before the listener for it starts; the schema exists once a backend has run Flyway.
        try (Backend schema = Backend.start(appJar)) {
            BenchTenant.withDevice(env, "bench-mllp", "blood-pressure-cuff", MllpBench.DEVICE);
        }
        try (Backend backend = Backend.start(appJar, java.util.Map.of(
                "vigil.mllp.listeners.bench.tenant", "bench-mllp",
                "vigil.mllp.listeners.bench.port", Integer.toString(port)))) {
            System.out.println();
            System.out.println(new MllpBench(env, "127.0.0.1", port).run(messages, connections).summary());
        }
    }

    private static String require(String value, String option) {
        if (value == null) {
            usage(option + " needs a value");
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("bench: " + problem);
        System.err.println("usage: ops/bench ingest [--count 1000000] [--patients 500] [--batch 10000]");
        System.err.println("       ops/bench decode [--count 20000] [--connections 4]");
        System.err.println("       ops/bench alerts [--rate 10000] [--duration 60s] [--probes 300] [--patients 2000]");
        System.err.println("       ops/bench ehr [--items 10000] [--patients 100] [--window 10] [--bundle-size 50] [--concurrency 4]");
        System.err.println("                     [--modes mllp-strict,mllp-pipelined,fhir-single,fhir-bundles]");
        System.err.println("       ops/bench dashboard [--patients 1000] [--days 180] [--dense-days 90] [--repeat 30]");
        System.err.println("                           [--alerts 10000] [--alert-patients 2000] [--page-loads 20]");
        System.err.println("       ops/bench alerts-replay [--patients 1000] [--days 30] [--seed 42] [--readings-per-patient-day 7]");
        System.exit(2);
    }
}
