package org.vigil.sandbox.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * A client's public keys, from its registered JWKS URL (fetched when first needed, cached, fetched again for
 * an unknown kid at most once per {@code refetchInterval} so a rotated key is found without letting assertions
 * with made-up kids hammer the client) or given inline at registration.
 */
final class ClientKeys {

    // after this a cached set is fetched again even for a known kid, so a withdrawn key stops working
    private static final Duration MAX_AGE = Duration.ofMinutes(5);

    private final URI jwksUrl;
    private final HttpClient http;
    private final Clock clock;
    private final Duration refetchInterval;
    private JWKSet keys;
    private Instant fetchedAt = Instant.MIN;

    private ClientKeys(URI jwksUrl, JWKSet inline, HttpClient http, Clock clock, Duration refetchInterval) {
        this.jwksUrl = jwksUrl;
        this.keys = inline;
        this.http = http;
        this.clock = clock;
        this.refetchInterval = refetchInterval;
    }

    static ClientKeys fetched(URI jwksUrl, HttpClient http, Clock clock, Duration refetchInterval) {
        return new ClientKeys(jwksUrl, null, http, clock, refetchInterval);
    }

    static ClientKeys inline(String jwksJson) {
        try {
            return new ClientKeys(null, JWKSet.parse(jwksJson).toPublicJWKSet(), null, Clock.systemUTC(), Duration.ZERO);
        } catch (ParseException e) {
            throw new IllegalArgumentException("not a JWK Set: " + e.getMessage(), e);
        }
    }

    /** The key with this kid, or null if the client has none (after one re-fetch if allowed). */
    synchronized JWK find(String kid) throws OAuthException {
        if (jwksUrl == null) {
            return keys.getKeyByKeyId(kid);
        }
        Instant now = clock.instant();
        if (keys == null || now.isAfter(fetchedAt.plus(MAX_AGE))) {
            fetch(now);
        }
        JWK key = keys.getKeyByKeyId(kid);
        if (key == null && !now.isBefore(fetchedAt.plus(refetchInterval))) {
            fetch(now);
            key = keys.getKeyByKeyId(kid);
        }
        return key;
    }

    private void fetch(Instant now) throws OAuthException {
        fetchedAt = now;
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(jwksUrl).timeout(Duration.ofSeconds(5))
                    .header("Accept", "application/json").GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new OAuthException("invalid_client", "JWKS URL " + jwksUrl + " answered " + response.statusCode());
            }
            keys = JWKSet.parse(response.body()).toPublicJWKSet();
        } catch (ParseException e) {
            throw new OAuthException("invalid_client", "JWKS at " + jwksUrl + " is not a JWK Set: " + e.getMessage());
        } catch (IOException e) {
            throw new OAuthException("invalid_client", "could not fetch the JWKS at " + jwksUrl + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OAuthException("invalid_client", "interrupted fetching the JWKS at " + jwksUrl);
        }
    }

    String source() {
        return jwksUrl == null ? "(inline JWKS)" : jwksUrl.toString();
    }
}
