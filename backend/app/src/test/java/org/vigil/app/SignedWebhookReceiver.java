package org.vigil.app;

import com.sun.net.httpserver.HttpServer;
import org.vigil.core.WebhookSignature;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * A tenant's webhook endpoint as a receiver would write it: it checks our HMAC signature with the shared secret and
 * keeps each body, or "BAD SIGNATURE: why" when the check fails.
 */
final class SignedWebhookReceiver implements AutoCloseable {
    /** A tenant's outbound webhook secret for tests (register it with {@link Registry#outboundWebhookKey}). */
    static final byte[] SECRET = "an-outbound-secret-of-at-least-32-bytes".getBytes(StandardCharsets.UTF_8);

    private final HttpServer server;
    private final ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();

    SignedWebhookReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/hook", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            String why = WebhookSignature.parse(ex.getRequestHeaders().getFirst(WebhookSignature.HEADER))
                    .check(SECRET, body, Instant.now(), Duration.ofMinutes(5));
            received.add(why == null ? new String(body, StandardCharsets.UTF_8) : "BAD SIGNATURE: " + why);
            ex.sendResponseHeaders(204, -1);
            ex.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hook";
    }

    List<String> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
