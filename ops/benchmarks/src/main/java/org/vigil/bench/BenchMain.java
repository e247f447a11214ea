package org.vigil.bench;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code ops/bench ingest [--count K] [--patients N] [--batch B] --app-jar PATH}: end-to-end ingest against
 * baselines measured in the same run on the same servers. Prints figures; asserts nothing.
 */
public final class BenchMain {
    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("ingest")) {
            usage("unknown or missing benchmark");
        }
        long count = 1_000_000;
        int patients = 500;
        int batch = 10_000;
        Path appJar = null;
        for (int i = 1; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--count" -> count = Long.parseLong(require(value, args[i]).replace("_", ""));
                case "--patients" -> patients = Integer.parseInt(require(value, args[i]));
                case "--batch" -> batch = Integer.parseInt(require(value, args[i]));
                case "--app-jar" -> appJar = Path.of(require(value, args[i]));
                default -> usage("unknown option " + args[i] + " in " + Arrays.toString(args));
            }
            i++;
        }
        if (appJar == null) {
            usage("--app-jar is required");
        }
        new IngestBench(BenchEnv.fromEnvironment(), count, patients, batch, appJar).run();
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
        System.exit(2);
    }
}
