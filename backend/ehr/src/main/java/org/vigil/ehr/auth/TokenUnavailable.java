package org.vigil.ehr.auth;

import io.micronaut.core.annotation.Nullable;

import java.net.URI;

/**
 * No access token could be had from an EHR's token endpoint. {@link #endpointDown()} tells the dispatcher which
 * kind of failure it is: the EHR being unreachable or failing (I/O, timeout, 5xx, 408, 429 — retry later, count it
 * against the endpoint's breaker, not against items), or a configuration problem on either side (400/401
 * {@code invalid_client}, {@code invalid_scope}, a wrong token URL, no signing key — retrying will not help until
 * someone changes something).
 */
public class TokenUnavailable extends RuntimeException {
    private final int status;
    private final @Nullable String error;
    private final @Nullable String errorDescription;
    private final boolean endpointDown;

    public TokenUnavailable(String message, int status, @Nullable String error, @Nullable String errorDescription,
                            boolean endpointDown, @Nullable Throwable cause) {
        super(message, cause);
        this.status = status;
        this.error = error;
        this.errorDescription = errorDescription;
        this.endpointDown = endpointDown;
    }

    /** An HTTP answer other than a usable token. */
    static TokenUnavailable answered(URI tokenUrl, int status, @Nullable String error, @Nullable String description) {
        boolean down = status >= 500 || status == 408 || status == 429;
        StringBuilder m = new StringBuilder("token request to ").append(tokenUrl).append(" failed: HTTP ").append(status);
        if (error != null) {
            m.append(' ').append(error);
        }
        if (description != null) {
            m.append(": ").append(description);
        }
        m.append(down ? " (the EHR's token endpoint is failing)" : " (check the endpoint's client id, scope, token URL "
                + "and that the EHR has our JWKS)");
        return new TokenUnavailable(m.toString(), status, error, description, down, null);
    }

    /** A 200 that is not a usable bearer token: the EHR misbehaves, which retrying may outlast. */
    static TokenUnavailable malformed(URI tokenUrl, String what, boolean endpointDown) {
        return new TokenUnavailable("token request to " + tokenUrl + " answered 200 but " + what, 200, null, what,
                endpointDown, null);
    }

    /** No answer at all: connection refused, reset, timed out. */
    static TokenUnavailable unreachable(URI tokenUrl, Exception e) {
        String detail = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        return new TokenUnavailable("token request to " + tokenUrl + " failed: " + detail, 0, null, detail, true, e);
    }

    /** We could not make the assertion (no KEK configured, unsupported algorithm, key store failing). */
    static TokenUnavailable noAssertion(URI tokenUrl, RuntimeException e) {
        return new TokenUnavailable("no client assertion for " + tokenUrl + ": " + e.getMessage(), 0,
                "client_assertion_unavailable", e.getMessage(), false, e);
    }

    /** The HTTP status of the token endpoint's answer; 0 when there was none. */
    public int status() {
        return status;
    }

    /** The OAuth {@code error} code (e.g. {@code invalid_client}), if the answer had one. */
    public @Nullable String error() {
        return error;
    }

    public @Nullable String errorDescription() {
        return errorDescription;
    }

    /** True: the EHR is unreachable or failing; false: a configuration problem that retrying will not fix. */
    public boolean endpointDown() {
        return endpointDown;
    }
}
