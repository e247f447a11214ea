package org.vigil.alerting.notify;

import org.vigil.core.WebhookSignature;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * POSTs the notification's body to a tenant's URL, signed with the tenant's current key ({@link WebhookSignature})
 * and carrying {@code Vigil-Delivery: <notification id>}, which stays the same across attempts so the receiver
 * can drop the duplicates that at-least-once delivery produces.
 */
public final class WebhookChannel implements Channel {
    public static final String DELIVERY_HEADER = "Vigil-Delivery";

    private final HttpClient client;
    private final SigningKeys keys;
    private final Duration timeout;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param client  must not follow redirects: a redirect would carry the signed alert to a URL the tenant never
     *                configured (and the JDK would turn the POST into a GET without a body)
     * @param timeout for the whole attempt, connecting included
     * @param clock   the signature's timestamp
     */
    public WebhookChannel(HttpClient client, SigningKeys keys, Duration timeout, Clock clock) {
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("client: the webhook HttpClient must be built with followRedirects(Redirect.NEVER).");
        }
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("timeout: " + timeout + " must be longer than zero.");
        }
        this.client = client;
        this.keys = Objects.requireNonNull(keys, "keys");
        this.timeout = timeout;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public Attempt send(Notification n) {
        Stopwatch watch = Stopwatch.start();
        Optional<URI> url = httpUrl(n.destination());
        if (url.isEmpty()) {
            return watch.failed("'" + n.destination() + "' is not an http or https URL, so no webhook can be sent to it.", false);
        }
        Optional<SigningKey> key;
        try {
            key = keys.current(n.tenant());
        } catch (RuntimeException e) {
            return watch.failed("Could not read the webhook signing key of tenant " + n.tenant() + ": " + e.getMessage(), true);
        }
        if (key.isEmpty()) {
            return watch.failed("no webhook signing key configured for tenant " + n.tenant(), false);
        }
        byte[] body = Objects.requireNonNullElse(n.body(), "").getBytes(StandardCharsets.UTF_8);
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(url.get())
                    .timeout(timeout)
                    .header("Content-Type", Objects.requireNonNullElse(n.contentType(), "application/octet-stream"))
                    .header(WebhookSignature.HEADER, WebhookSignature.header(key.get().secret(), key.get().keyId(),
                            clock.instant().getEpochSecond(), nonce(), body))
                    .header(DELIVERY_HEADER, String.valueOf(n.id()))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
        } catch (IllegalArgumentException e) {
            return watch.failed("The notification cannot be made into an HTTP request: " + e.getMessage(), false);
        }
        return post(request, watch);
    }

    private Attempt post(HttpRequest request, Stopwatch watch) {
        String to = request.uri().getHost() + (request.uri().getPort() < 0 ? "" : ":" + request.uri().getPort());
        // The request timeout ends at the response headers; this one also bounds a body that never ends.
        CompletableFuture<HttpResponse<Void>> response = client.sendAsync(request, HttpResponse.BodyHandlers.discarding());
        try {
            return classify(response.get(timeout.toNanos(), TimeUnit.NANOSECONDS), watch);
        } catch (TimeoutException e) {
            response.cancel(true);
            return watch.failed(noAnswer(to), true);
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            return watch.failed("The webhook delivery to " + to + " was interrupted before it was answered.", true);
        } catch (ExecutionException e) {
            if (Causes.find(e, HttpConnectTimeoutException.class) != null) {
                return watch.failed("Could not connect to the webhook receiver " + to + " within " + timeout.toMillis() + " ms.", true);
            }
            if (Causes.find(e, HttpTimeoutException.class) != null) {
                return watch.failed(noAnswer(to), true);
            }
            if (Causes.find(e, ConnectException.class) != null) {
                // the JDK's ConnectException carries no message worth repeating
                return watch.failed("Could not connect to the webhook receiver " + to + ".", true);
            }
            if (Causes.find(e, IOException.class) != null) {
                return watch.failed("The connection to the webhook receiver " + to + " failed: " + Causes.root(e) + ".", true);
            }
            return watch.failed("The webhook delivery to " + to + " failed unexpectedly: " + Causes.root(e) + ".", false);
        }
    }

    private static Attempt classify(HttpResponse<Void> r, Stopwatch watch) {
        int status = r.statusCode();
        if (status >= 200 && status < 300) {
            return watch.delivered("HTTP " + status);
        }
        if (status == 408 || status == 425 || status == 429 || status >= 500) {
            return watch.failed("The webhook receiver answered HTTP " + status + "; a later attempt may succeed.", true);
        }
        if (status >= 300 && status < 400) {
            String location = r.headers().firstValue("Location").orElse("nowhere");
            return watch.failed("The webhook receiver answered HTTP " + status + ", a redirect to " + location
                    + "; redirects are not followed, so configure the final URL. Not retrying.", false);
        }
        return watch.failed("The webhook receiver refused the delivery with HTTP " + status + "; not retrying.", false);
    }

    private String noAnswer(String to) {
        return "The webhook receiver " + to + " did not answer within " + timeout.toMillis() + " ms.";
    }

    private static Optional<URI> httpUrl(String destination) {
        try {
            URI uri = new URI(Objects.requireNonNullElse(destination, ""));
            boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
            return http && uri.getHost() != null ? Optional.of(uri) : Optional.empty();
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }

    /** 32 characters of [A-Za-z0-9_-]: 24 random bytes in unpadded base64url. */
    private String nonce() {
        byte[] bytes = new byte[24];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
