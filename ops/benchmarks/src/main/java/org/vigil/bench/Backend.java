package org.vigil.bench;

import org.vigil.simulator.KeycloakUsers;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The backend as a separate process, as in production, so its memory can be read from /proc. */
final class Backend implements AutoCloseable {
    /** The same defaults as ops/run; override with VIGIL_BACKEND_JAVA_OPTS. */
    static final String DEFAULT_JAVA_OPTS = "-Xmx384m";

    private final Process process;
    private final Path log;
    private final int port;
    private final KeycloakUsers tokens;

    private Backend(Process process, Path log, int port, KeycloakUsers tokens) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.tokens = tokens;
    }

    static Backend start(Path appJar) throws Exception {
        return start(appJar, Map.of());
    }

    /** @param properties extra configuration, passed as system properties (e.g. an MLLP listener) */
    static Backend start(Path appJar, Map<String, String> properties) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        // The backend inherits VIGIL_OIDC_ISSUER and validates the bench stack's Keycloak tokens, as in production.
        KeycloakUsers tokens = KeycloakUsers.local(System.getenv());
        Path log = Files.createTempFile("vigil-bench-backend-", ".log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(List.of(System.getenv().getOrDefault("VIGIL_BACKEND_JAVA_OPTS", DEFAULT_JAVA_OPTS).trim().split("\\s+")));
        properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
        command.addAll(List.of("-jar", appJar.toString()));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("VIGIL_HTTP_PORT", Integer.toString(port));
        // the dashboard only when a benchmark asks for it (-Dvigil.ui.enabled=true): its port is the stack's, one per stack
        pb.environment().put("VIGIL_UI_ENABLED", "false");
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        Backend backend = new Backend(pb.start(), log, port, tokens);
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!backend.process.isAlive()) {
                throw new IllegalStateException("backend exited; see " + log);
            }
            try {
                int status = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status == 200) {
                    return backend;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(250);
        }
        backend.close();
        throw new IllegalStateException("backend did not become healthy in 90 s; see " + log);
    }

    long pid() {
        return process.pid();
    }

    Path log() {
        return log;
    }

    /** The HTTP port of its API, on 127.0.0.1. */
    int port() {
        return port;
    }

    /** API tokens of the stack's Keycloak, which this backend accepts; fetch one per use (they live minutes). */
    KeycloakUsers tokens() {
        return tokens;
    }

    /** Peak resident set size so far (VmHWM), in bytes. */
    long peakRss() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
            }
        }
        return -1;
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor();
    }
}
