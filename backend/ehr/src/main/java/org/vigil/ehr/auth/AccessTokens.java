package org.vigil.ehr.auth;

import com.nimbusds.jose.util.JSONObjectUtils;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrEndpoint;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Access tokens for EHRs' FHIR APIs by the SMART Backend Services client-credentials grant, cached per tenant and
 * endpoint until shortly before they expire.
 *
 * <p>One token request at a time per endpoint: callers that find no usable token while a request is in flight wait
 * for that request and share its outcome, token or failure. Sharing the failure matters when the EHR is down:
 * otherwise every waiting sender would try in turn and wait out its own timeout.
 *
 * <p>A token is reused only under the settings it was obtained with (token URL, client id, scope, algorithm): an
 * endpoint reconfigured with another client id must not send the old client's token.
 */
@Singleton
public class AccessTokens {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    /** When the token response omits {@code expires_in}: SMART asks servers for at most five minutes. */
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);
    private static final Duration MIN_MARGIN = Duration.ofSeconds(30);
    private static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";
    private static final int MAX_BODY_IN_MESSAGE = 200;

    private final ClientAssertions assertions;
    private final Clock clock;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Map<EndpointKey, Slot> slots = new ConcurrentHashMap<>();
    private final AtomicLong requests = new AtomicLong();

    @Inject
    public AccessTokens(ClientAssertions assertions, Clock clock) {
        this(assertions, clock, CONNECT_TIMEOUT, REQUEST_TIMEOUT);
    }

    AccessTokens(ClientAssertions assertions, Clock clock, Duration connectTimeout, Duration requestTimeout) {
        this.assertions = assertions;
        this.clock = clock;
        // Redirects are not followed: a token URL that redirects is misconfigured, and the form (with its
        // assertion) must go only where the endpoint's administrator said.
        this.http = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NEVER).build();
        this.requestTimeout = requestTimeout;
    }

    /**
     * A bearer token for the endpoint: the cached one while it is good for a while yet, else a new one.
     *
     * @throws TokenUnavailable when the token endpoint refused or could not be reached
     */
    public String bearer(TenantId tenant, String endpointId, EhrEndpoint.Fhir fhir) {
        Settings settings = Settings.of(fhir);
        Slot slot = slots.computeIfAbsent(new EndpointKey(tenant, endpointId), k -> new Slot());
        Cached cached = slot.token;
        if (cached != null && cached.usable(settings, clock.instant())) {
            return cached.value;
        }
        InFlight flight;
        boolean mine = false;
        synchronized (slot) {
            cached = slot.token;
            if (cached != null && cached.usable(settings, clock.instant())) {
                return cached.value;
            }
            flight = slot.inFlight;
            if (flight == null || !flight.settings.equals(settings)) {
                // None in flight, or one for settings that just changed: its token would be of no use to us.
                flight = new InFlight(settings, new CompletableFuture<>());
                slot.inFlight = flight;
                mine = true;
            }
        }
        if (mine) {
            fetch(tenant, slot, flight);
        }
        return await(flight.result).value;
    }

    /**
     * Forgets the endpoint's token: the FHIR transport calls this after a 401 (revoked, or expired early) and then
     * asks for a token once more.
     */
    public void invalidate(TenantId tenant, String endpointId) {
        Slot slot = slots.get(new EndpointKey(tenant, endpointId));
        if (slot != null) {
            synchronized (slot) {
                slot.token = null;
            }
        }
    }

    /** Token requests sent since start (successful or not). */
    public long tokenRequests() {
        return requests.get();
    }

    private void fetch(TenantId tenant, Slot slot, InFlight flight) {
        try {
            Cached fresh = request(tenant, flight.settings);
            synchronized (slot) {
                slot.token = fresh;
                if (slot.inFlight == flight) {
                    slot.inFlight = null;
                }
            }
            flight.result.complete(fresh);
        } catch (Throwable t) {
            synchronized (slot) {
                if (slot.inFlight == flight) {
                    slot.inFlight = null;
                }
            }
            // Waiters must never hang: they get whatever ended this request.
            flight.result.completeExceptionally(t);
        }
    }

    private static Cached await(CompletableFuture<Cached> result) {
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TokenUnavailable("interrupted while waiting for an access token", 0, null, null, true, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException) {
                throw (RuntimeException) cause;
            }
            if (cause instanceof Error) {
                throw (Error) cause;
            }
            throw new IllegalStateException(cause);
        }
    }

    private Cached request(TenantId tenant, Settings s) {
        String assertion;
        try {
            assertion = assertions.sign(tenant, s.clientId, s.tokenUrl, s.algorithm);
        } catch (RuntimeException e) {
            throw TokenUnavailable.noAssertion(s.tokenUrl, e);
        }
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (s.scope != null && !s.scope.isBlank()) {
            form.put("scope", s.scope);
        }
        form.put("client_assertion_type", JWT_BEARER);
        form.put("client_assertion", assertion);
        HttpRequest req = HttpRequest.newBuilder(s.tokenUrl)
                .timeout(requestTimeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(encode(form)))
                .build();
        // Measured from before the request: the token's lifetime runs from when the EHR issued it, which is later.
        Instant sent = clock.instant();
        requests.incrementAndGet();
        HttpResponse<String> rsp;
        try {
            rsp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw TokenUnavailable.unreachable(s.tokenUrl, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw TokenUnavailable.unreachable(s.tokenUrl, e);
        }
        Map<String, Object> body = json(rsp.body());
        if (rsp.statusCode() != 200) {
            String error = body == null ? null : string(body.get("error"));
            String description = body == null ? snippet(rsp.body()) : string(body.get("error_description"));
            throw TokenUnavailable.answered(s.tokenUrl, rsp.statusCode(), error, description);
        }
        if (body == null) {
            throw TokenUnavailable.malformed(s.tokenUrl, "its body is not a JSON object", true);
        }
        String token = string(body.get("access_token"));
        if (token == null || token.isBlank()) {
            throw TokenUnavailable.malformed(s.tokenUrl, "without an access_token", true);
        }
        String type = string(body.get("token_type"));
        if (type != null && !"bearer".equalsIgnoreCase(type)) {
            // e.g. DPoP: a token we could not present correctly; the client's registration must change.
            throw TokenUnavailable.malformed(s.tokenUrl, "with token_type " + type + " where bearer is required", false);
        }
        Duration lifetime = lifetime(body.get("expires_in"));
        return new Cached(token, s, sent.plus(lifetime).minus(margin(lifetime)));
    }

    /** How long before expiry a token is replaced: 10% of its lifetime, at least 30 s (clock skew, slow sends). */
    static Duration margin(Duration lifetime) {
        Duration tenth = lifetime.dividedBy(10);
        return tenth.compareTo(MIN_MARGIN) > 0 ? tenth : MIN_MARGIN;
    }

    private static Duration lifetime(Object expiresIn) {
        long seconds = -1;
        if (expiresIn instanceof Number) {
            seconds = ((Number) expiresIn).longValue();
        } else if (expiresIn instanceof String) {
            // Some servers send it as a string.
            try {
                seconds = Long.parseLong(((String) expiresIn).trim());
            } catch (NumberFormatException e) {
                seconds = -1;
            }
        }
        return seconds > 0 ? Duration.ofSeconds(seconds) : DEFAULT_LIFETIME;
    }

    private static Map<String, Object> json(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        try {
            return JSONObjectUtils.parse(body);
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private static String string(Object o) {
        return o instanceof String ? (String) o : null;
    }

    private static String snippet(String body) {
        if (body == null || body.isBlank()) {
            return null;
        }
        String b = body.strip();
        return b.length() <= MAX_BODY_IN_MESSAGE ? b : b.substring(0, MAX_BODY_IN_MESSAGE) + "…";
    }

    private static String encode(Map<String, String> form) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : form.entrySet()) {
            if (b.length() > 0) {
                b.append('&');
            }
            b.append(URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private record EndpointKey(TenantId tenant, String endpointId) {
    }

    /** What a token is valid for: any change of these means a new token. */
    private record Settings(URI tokenUrl, String clientId, String scope, String algorithm) {
        static Settings of(EhrEndpoint.Fhir fhir) {
            Objects.requireNonNull(fhir, "fhir settings");
            Objects.requireNonNull(fhir.tokenUrl(), "tokenUrl");
            return new Settings(fhir.tokenUrl(), fhir.clientId(), fhir.scope(), fhir.algorithm());
        }
    }

    private static final class Cached {
        final String value;
        final Settings settings;
        final Instant replaceAt;

        Cached(String value, Settings settings, Instant replaceAt) {
            this.value = value;
            this.settings = settings;
            this.replaceAt = replaceAt;
        }

        boolean usable(Settings wanted, Instant now) {
            return settings.equals(wanted) && now.isBefore(replaceAt);
        }
    }

    private record InFlight(Settings settings, CompletableFuture<Cached> result) {
    }

    /** One endpoint's token state; its monitor guards the two fields together. */
    private static final class Slot {
        volatile Cached token;
        InFlight inFlight;
    }
}
