package org.vigil.alerting.notify;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigil.core.WebhookSignature;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Deliveries to a real HTTP receiver on a loopback port, which checks signatures the way a tenant's would. */
class WebhookChannelTest {
    private static final String TENANT = "tenant-" + UUID.randomUUID();
    private static final byte[] SECRET = "a-secret-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.US_ASCII);
    private static final SigningKeys KEYS =
            tenant -> tenant.equals(TENANT) ? Optional.of(new SigningKey("k-2026", SECRET)) : Optional.empty();
    // Long enough for a first request on a loaded 2-core machine, short enough for the timeout tests to wait out.
    private static final Duration TIMEOUT = Duration.ofMillis(1500);
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NEVER).connectTimeout(TIMEOUT).build();
    private static final String JSON = "{\"alert\":\"a1\",\"patient\":\"p1\",\"state\":\"opened\",\"note\":\"Blutdruck ↑\"}";

    private record Received(String path, Headers headers, byte[] body) {
    }

    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Clock clock = Clock.fixed(Instant.now().truncatedTo(ChronoUnit.SECONDS), ZoneOffset.UTC);
    private final WebhookChannel channel = new WebhookChannel(CLIENT, KEYS, TIMEOUT, clock);
    private ExecutorService threads;
    private HttpServer server;

    @BeforeEach
    void startReceiver() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        threads = Executors.newCachedThreadPool();
        server.setExecutor(threads);
        server.start();
    }

    @AfterEach
    void stopReceiver() {
        stopped.countDown();
        server.stop(0);
        threads.shutdownNow();
    }

    /** A path on the receiver that records each request and answers {@code status} (with {@code location}, if any). */
    private String answering(String path, int status, String location) {
        server.createContext(path, exchange -> {
            received.add(new Received(exchange.getRequestURI().getPath(), exchange.getRequestHeaders(),
                    exchange.getRequestBody().readAllBytes()));
            if (location != null) {
                exchange.getResponseHeaders().add("Location", location);
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        return url(path);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static Notification to(String url, String tenant) {
        return new Notification(tenant, UUID.randomUUID(), "webhook", url, "ignored", JSON, "application/json");
    }

    @Test
    void deliversASignedBodyTheReceiverCanVerify() {
        Notification n = to(answering("/hooks/vigil", 204, null), TENANT);

        Attempt first = channel.send(n);
        Attempt again = channel.send(n);

        assertEquals("HTTP 204", assertInstanceOf(Attempt.Delivered.class, first).detail());
        assertInstanceOf(Attempt.Delivered.class, again);
        assertEquals(2, received.size());
        for (Received r : received) {
            assertEquals(JSON, new String(r.body(), StandardCharsets.UTF_8));
            assertEquals("application/json", r.headers().getFirst("Content-Type"));
            assertEquals(n.id().toString(), r.headers().getFirst("Vigil-Delivery"));
            WebhookSignature sig = WebhookSignature.parse(r.headers().getFirst("Vigil-Signature"));
            assertNull(sig.check(SECRET, r.body(), Instant.now(), Duration.ofMinutes(5)));
            assertEquals("k-2026", sig.keyId());
            assertEquals(clock.instant().getEpochSecond(), sig.timestamp());
            assertTrue(sig.nonce().matches("[A-Za-z0-9_-]{32}"), sig.nonce());
        }
        // the same delivery id both times, so the receiver can drop the second; a fresh nonce each time
        assertNotEquals(WebhookSignature.parse(received.get(0).headers().getFirst("Vigil-Signature")).nonce(),
                WebhookSignature.parse(received.get(1).headers().getFirst("Vigil-Signature")).nonce());
    }

    @Test
    void aSignatureMadeWithAnotherSecretDoesNotVerify() {
        channel.send(to(answering("/hooks/vigil", 204, null), TENANT));
        Received r = received.get(0);
        byte[] other = "another-secret-of-thirty-two-bytes-long".getBytes(StandardCharsets.US_ASCII);
        assertTrue(WebhookSignature.parse(r.headers().getFirst("Vigil-Signature"))
                .check(other, r.body(), Instant.now(), Duration.ofMinutes(5)).startsWith("Signature does not match"));
    }

    @ParameterizedTest(name = "HTTP {0} → retryable {1}")
    @CsvSource({
            "500, true", "502, true", "503, true", "429, true", "408, true", "425, true",
            "400, false", "401, false", "404, false", "410, false", "422, false",
    })
    void classifiesTheReceiversRefusal(int status, boolean retryable) {
        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel.send(to(answering("/h", status, null), TENANT)));
        assertEquals(retryable, f.retryable(), f.error());
        assertTrue(f.error().contains("HTTP " + status), f.error());
        assertTrue(f.error().contains(retryable ? "a later attempt may succeed" : "not retrying"), f.error());
        assertEquals(1, received.size());
    }

    @ParameterizedTest(name = "HTTP {0}")
    @ValueSource(ints = {301, 302, 307, 308})
    void doesNotFollowARedirect(int status) {
        String elsewhere = answering("/elsewhere", 204, null);
        Notification n = to(answering("/h", status, elsewhere), TENANT);

        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel.send(n));

        assertEquals(false, f.retryable());
        assertTrue(f.error().contains("HTTP " + status + ", a redirect to " + elsewhere), f.error());
        assertEquals(List.of("/h"), received.stream().map(Received::path).toList());
    }

    @Test
    void aReceiverThatNeverAnswersFailsRetryablyWithinTheTimeout() {
        server.createContext("/silent", exchange -> awaitStop());

        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel.send(to(url("/silent"), TENANT)));

        assertTrue(f.retryable());
        assertTrue(f.error().endsWith("did not answer within " + TIMEOUT.toMillis() + " ms."), f.error());
        assertTrue(f.took().compareTo(TIMEOUT) >= 0 && f.took().compareTo(TIMEOUT.plusSeconds(3)) < 0, f.took().toString());
    }

    @Test
    void aBodyThatNeverEndsFailsRetryablyWithinTheTimeout() {
        server.createContext("/trickle", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            exchange.getResponseBody().write('{');
            exchange.getResponseBody().flush();
            awaitStop();
        });

        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel.send(to(url("/trickle"), TENANT)));

        assertTrue(f.retryable(), f.error());
        assertTrue(f.took().compareTo(TIMEOUT.plusSeconds(3)) < 0, f.took().toString());
    }

    @Test
    void nothingListeningIsRetryable() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel.send(to("http://127.0.0.1:" + port + "/h", TENANT)));
        assertTrue(f.retryable());
        assertTrue(f.error().startsWith("Could not connect to the webhook receiver 127.0.0.1:" + port), f.error());
    }

    @Test
    void aTenantWithoutASigningKeyGetsNothingSent() {
        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel.send(to(answering("/h", 204, null), "tenant-unknown")));
        assertEquals(new Attempt.Failed("no webhook signing key configured for tenant tenant-unknown", false, f.took()), f);
        assertEquals(List.of(), received);
    }

    @ParameterizedTest(name = "''{0}''")
    @ValueSource(strings = {"ftp://127.0.0.1/h", "file:///etc/passwd", "mailto:ops@example.org", "127.0.0.1:8080/h",
            "http:///no-host", "not a url", ""})
    void refusesWhatIsNotAnHttpUrl(String destination) {
        Attempt.Failed f = assertInstanceOf(Attempt.Failed.class, channel.send(to(destination, TENANT)));
        assertEquals(false, f.retryable());
        assertEquals("'" + destination + "' is not an http or https URL, so no webhook can be sent to it.", f.error());
    }

    @Test
    void refusesAClientThatFollowsRedirects() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        assertThrows(IllegalArgumentException.class, () -> new WebhookChannel(following, KEYS, TIMEOUT, clock));
    }

    @Test
    void refusesAShortSecret() {
        assertThrows(IllegalArgumentException.class, () -> new SigningKey("k", new byte[31]));
    }

    private void awaitStop() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
