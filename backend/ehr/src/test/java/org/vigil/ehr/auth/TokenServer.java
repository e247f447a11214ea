package org.vigil.ehr.auth;

import com.nimbusds.jwt.JWTClaimsSet;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A token endpoint in the test process that does what an EHR's does for SMART Backend Services: it checks the
 * client-credentials form and verifies the client assertion against our published JWKS, then answers with a token
 * and {@code expires_in}, or with whatever the test scripted instead.
 */
final class TokenServer implements AutoCloseable {
    record Scripted(int status, String contentType, String body) {
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(16);
    private final Supplier<String> jwks;
    private final AssertionVerifier verifier = new AssertionVerifier();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();

    volatile Object expiresIn = 300;
    volatile long delayMillis;
    volatile Scripted scripted;
    volatile Map<String, String> lastForm;
    volatile JWTClaimsSet lastClaims;

    TokenServer(Supplier<String> jwks) throws IOException {
        this.jwks = jwks;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/token", this::handle);
        server.setExecutor(threads);
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/token");
    }

    int requests() {
        return requests.get();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            requests.incrementAndGet();
            Map<String, String> form = form(new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            lastForm = form;
            if (delayMillis > 0) {
                Thread.sleep(delayMillis);
            }
            Scripted s = scripted;
            if (s != null) {
                send(ex, s.status(), s.contentType(), s.body());
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())
                    || !"application/x-www-form-urlencoded".equals(ex.getRequestHeaders().getFirst("Content-Type"))) {
                send(ex, 400, "application/json", "{\"error\":\"invalid_request\"}");
                return;
            }
            if (!"client_credentials".equals(form.get("grant_type"))) {
                send(ex, 400, "application/json", "{\"error\":\"unsupported_grant_type\"}");
                return;
            }
            if (!"urn:ietf:params:oauth:client-assertion-type:jwt-bearer".equals(form.get("client_assertion_type"))
                    || form.get("client_assertion") == null) {
                send(ex, 400, "application/json", "{\"error\":\"invalid_client\",\"error_description\":\"no assertion\"}");
                return;
            }
            try {
                String clientId = com.nimbusds.jwt.SignedJWT.parse(form.get("client_assertion")).getJWTClaimsSet().getIssuer();
                lastClaims = verifier.verify(form.get("client_assertion"), jwks.get(), clientId, url().toString());
            } catch (AssertionVerifier.Rejected | java.text.ParseException e) {
                send(ex, 400, "application/json", "{\"error\":\"invalid_client\",\"error_description\":\""
                        + e.getMessage().replace("\"", "'") + "\"}");
                return;
            }
            Object exp = expiresIn;
            String expJson = exp == null ? "" : ",\"expires_in\":" + (exp instanceof String ? "\"" + exp + "\"" : exp);
            send(ex, 200, "application/json", "{\"access_token\":\"tok-" + issued.incrementAndGet()
                    + "\",\"token_type\":\"Bearer\"" + expJson + ",\"scope\":\"" + form.get("scope") + "\"}");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void send(HttpExchange ex, int status, String contentType, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(b);
            }
        }
    }

    private static Map<String, String> form(String body) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                        URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
