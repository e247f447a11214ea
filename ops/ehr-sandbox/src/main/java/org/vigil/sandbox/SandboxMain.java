package org.vigil.sandbox;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs a sandbox EHR until killed:
 * {@code java -jar vigil-ehr-sandbox.jar --fhir-port 18090 --mllp-port 12590 [--host 127.0.0.1] [--mllp-tls]
 * [--mllp-cert-out FILE] [--no-validate] [--no-auth] [--client ID=JWKS_URL[,SCOPE...]] [--patients-file CSV]}.
 */
public final class SandboxMain {

    private SandboxMain() {
    }

    public static void main(String[] args) throws Exception {
        SandboxOptions options = SandboxOptions.defaults().withFhirPort(18090).withMllpPort(12590);
        boolean auth = true;
        Path certOut = null;
        Path patients = null;
        List<String> clients = new java.util.ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--fhir-port":
                    options = options.withFhirPort(Integer.parseInt(value(args, ++i)));
                    break;
                case "--mllp-port":
                    options = options.withMllpPort(Integer.parseInt(value(args, ++i)));
                    break;
                case "--host":
                    options = options.withHost(value(args, ++i));
                    break;
                case "--mllp-tls":
                    options = options.withMllpTls(true);
                    break;
                case "--mllp-cert-out":
                    certOut = Path.of(value(args, ++i));
                    break;
                case "--no-validate":
                    options = options.withValidate(false);
                    break;
                case "--no-auth":
                    auth = false;
                    break;
                case "--client":
                    clients.add(value(args, ++i));
                    break;
                case "--patients-file":
                    patients = Path.of(value(args, ++i));
                    break;
                case "--help":
                case "-h":
                    usage();
                    return;
                default:
                    System.err.println("unknown argument " + args[i]);
                    usage();
                    System.exit(2);
            }
        }
        EhrSandbox sandbox = EhrSandbox.start(options);
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::close, "sandbox-shutdown"));
        sandbox.requireAuth(auth);
        String origin = "http://" + options.host() + ":" + sandbox.fhirPort();
        System.out.println("sandbox EHR FHIR base " + sandbox.fhirBaseUrl() + (auth ? " (SMART Backend Services)" : " (no auth)"));
        System.out.println("sandbox EHR token URL " + sandbox.tokenUrl());
        System.out.println("sandbox EHR MLLP " + options.host() + ":" + sandbox.mllpPort()
                + (options.mllpTls() ? " over TLS" + (certOut != null ? ", certificate in " + certOut : "") : ""));
        System.out.println("sandbox EHR admin " + origin + "/admin/stats (no auth: loopback test tool)");
        if (certOut != null && sandbox.mllpCertificatePem() != null) {
            Files.writeString(certOut, sandbox.mllpCertificatePem());
        }
        for (String client : clients) {
            registerClient(sandbox, client);
        }
        if (patients != null) {
            loadPatients(sandbox, patients);
        }
        Thread warmUp = new Thread(() -> {
            Duration warm = sandbox.awaitValidatorWarm();
            if (warm != null) {
                System.out.println("sandbox EHR validator warm in " + warm.toMillis() + " ms");
            }
        }, "sandbox-warm-up-report");
        warmUp.setDaemon(true);
        warmUp.start();
        ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "sandbox-summary");
            thread.setDaemon(true);
            return thread;
        });
        ticker.scheduleAtFixedRate(() -> System.out.println(summary(sandbox)), 10, 10, TimeUnit.SECONDS);
        new CountDownLatch(1).await();
    }

    static String summary(EhrSandbox sandbox) {
        Map<String, Object> stats = sandbox.stats();
        return LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " sandbox EHR " + stats.entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    /** {@code ID=JWKS_URL[,SCOPE,SCOPE...]} (scopes may also be space-separated); no scopes: any system scope. */
    static void registerClient(EhrSandbox sandbox, String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0) {
            throw new IllegalArgumentException("--client wants ID=JWKS_URL[,SCOPES], not " + spec);
        }
        String[] parts = spec.substring(eq + 1).split(",", 2);
        Set<String> scopes = new LinkedHashSet<>();
        if (parts.length > 1) {
            scopes.addAll(Arrays.asList(parts[1].trim().split("[\\s,]+")));
        }
        if (scopes.isEmpty() || scopes.contains("")) {
            scopes.remove("");
            scopes.add("*");
        }
        sandbox.registerClient(spec.substring(0, eq), URI.create(parts[0].trim()), scopes);
        System.out.println("sandbox EHR client " + spec.substring(0, eq) + " keys at " + parts[0].trim() + " scopes " + scopes);
    }

    /** Lines of {@code system,value,family,given}; a header line starting with "system" and # comments are skipped. */
    static void loadPatients(EhrSandbox sandbox, Path csv) throws IOException {
        int added = 0;
        for (String line : Files.readAllLines(csv)) {
            String trimmed = line.trim();
            if (trimmed.isEmpty() || trimmed.startsWith("#") || trimmed.toLowerCase().startsWith("system,")) {
                continue;
            }
            String[] fields = trimmed.split(",", -1);
            if (fields.length < 2) {
                throw new IllegalArgumentException("patients file line wants system,value,family,given: " + line);
            }
            sandbox.addPatient(fields[0].trim(), fields[1].trim(), fields.length > 2 ? fields[2].trim() : "",
                    fields.length > 3 ? fields[3].trim() : "");
            added++;
        }
        System.out.println("sandbox EHR loaded " + added + " patients from " + csv);
    }

    private static String value(String[] args, int i) {
        if (i >= args.length) {
            throw new IllegalArgumentException(args[i - 1] + " needs a value");
        }
        return args[i];
    }

    private static void usage() {
        System.out.println("usage: java -jar vigil-ehr-sandbox.jar [--fhir-port 18090] [--mllp-port 12590] [--host 127.0.0.1]"
                + " [--mllp-tls] [--mllp-cert-out FILE] [--no-validate] [--no-auth]"
                + " [--client ID=JWKS_URL[,SCOPES]]... [--patients-file CSV(system,value,family,given)]");
    }
}
