package org.vigil.app;

import org.vigil.simulator.KeycloakUsers;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The backend as a separate java process on the test's classpath, for tests that need a real crash: SIGKILL gives
 * it no chance to flush, commit or shut down, which an in-process context cannot imitate. Each process listens on
 * a free port and validates the stack's Keycloak tokens (it inherits {@code VIGIL_OIDC_ISSUER}); {@link #token}
 * gets one.
 */
public final class BackendProcess implements AutoCloseable {
    private static final Duration READY = Duration.ofSeconds(60);

    private final Process process;
    private final int port;
    private final KeycloakUsers tokens;
    private final Path log;

    private BackendProcess(Process process, int port, KeycloakUsers tokens, Path log) {
        this.process = process;
        this.port = port;
        this.tokens = tokens;
        this.log = log;
    }

    /**
     * Starts the backend and waits until its health endpoint answers 200.
     *
     * @param log        its output is appended here (several processes of one test may share a file)
     * @param properties system properties, e.g. {@code vigil.ingest.max-batch=1000}
     */
    public static BackendProcess start(Path log, String... properties) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        KeycloakUsers tokens = KeycloakUsers.local(System.getenv());
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                // C1 only and the serial collector: half the start-up time on a busy two-core machine, and these
                // processes live for seconds, not long enough for C2's code to pay back.
                "-Xmx512m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"),
                "-Dmicronaut.server.port=" + port,
                // As in-process tests: a canary would add synthetic readings to the tenants these tests count.
                "-Dvigil.alerting.canary.enabled=false", "-Dvigil.ui.enabled=false"));
        for (String p : properties) {
            command.add("-D" + p);
        }
        command.add("org.vigil.app.VigilApplication");
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        BackendProcess backend = new BackendProcess(p, port, tokens, log);
        try {
            HttpClient http = HttpClient.newHttpClient();
            Eventually.await(READY, () -> {
                if (!p.isAlive()) {
                    throw new AssertionError("backend exited with " + p.exitValue() + "; see " + log);
                }
                try {
                    return http.send(HttpRequest.newBuilder(backend.uri("/health")).build(),
                            HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (Exception e) {
                    return -1;
                }
            }, status -> status == 200, "backend health on port " + port + " (log " + log + ")");
        } catch (RuntimeException | Error e) {
            backend.close();
            throw e;
        }
        return backend;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + port + path);
    }

    /** A care manager's token for the tenant. */
    public String token(String tenant) {
        return tokens.token(tenant, "care-manager");
    }

    public Path log() {
        return log;
    }

    /** SIGKILL, as a crash or the OOM killer would: nothing in the process runs after it. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor();
    }

    /** SIGTERM; true when the process shut down within the time (it is killed otherwise). */
    public boolean stop(Duration within) throws InterruptedException {
        process.destroy();
        boolean stopped = process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS);
        process.destroyForcibly().waitFor();
        return stopped;
    }

    /** Kills the process if a test left it running, so a failed test never leaves a backend behind. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
