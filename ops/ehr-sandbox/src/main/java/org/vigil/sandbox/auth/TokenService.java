package org.vigil.sandbox.auth;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** The client_credentials grant with a private_key_jwt client assertion, and what it counted. */
public final class TokenService {

    static final String JWT_BEARER = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    private final AssertionVerifier verifier;
    private final AccessTokens tokens;
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger issued = new AtomicInteger();
    private final List<String> errors = new ArrayList<>();
    private final Set<String> kids = ConcurrentHashMap.newKeySet();

    public TokenService(ClientRegistry clients, AccessTokens tokens, java.time.Clock clock) {
        this.verifier = new AssertionVerifier(clients, clock);
        this.tokens = tokens;
    }

    /** A token response's fields. */
    public record Issued(String accessToken, long expiresIn, String scope) {
    }

    /** Answers one token request's form parameters; {@code tokenUrl} is the URL the assertion must name in aud. */
    public Issued token(Map<String, String> form, String tokenUrl) throws OAuthException {
        requests.incrementAndGet();
        try {
            Issued result = grant(form, tokenUrl);
            issued.incrementAndGet();
            return result;
        } catch (OAuthException e) {
            synchronized (errors) {
                errors.add(e.error() + ": " + e.getMessage());
            }
            throw e;
        }
    }

    private Issued grant(Map<String, String> form, String tokenUrl) throws OAuthException {
        if (!"client_credentials".equals(form.get("grant_type"))) {
            throw new OAuthException("unsupported_grant_type", "grant_type must be client_credentials");
        }
        if (!JWT_BEARER.equals(form.get("client_assertion_type"))) {
            throw new OAuthException("invalid_client", "client_assertion_type must be " + JWT_BEARER);
        }
        String assertion = form.get("client_assertion");
        if (assertion == null || assertion.isBlank()) {
            throw new OAuthException("invalid_client", "client_assertion is missing");
        }
        AssertionVerifier.Verified verified = verifier.verify(assertion, tokenUrl);
        String clientId = form.get("client_id");
        if (clientId != null && !clientId.equals(verified.client().clientId())) {
            throw new OAuthException("invalid_client", "client_id " + clientId + " is not the assertion's issuer");
        }
        String scope = form.getOrDefault("scope", "").trim();
        if (scope.isEmpty()) {
            throw new OAuthException("invalid_scope", "scope is missing");
        }
        Set<String> requested = new LinkedHashSet<>(Arrays.asList(scope.split("\\s+")));
        for (String one : requested) {
            if (!verified.client().allows(one)) {
                throw new OAuthException("invalid_scope", "client " + verified.client().clientId()
                        + " may not have scope " + one);
            }
        }
        kids.add(verified.kid());
        String granted = String.join(" ", requested);
        return new Issued(tokens.issue(verified.client().clientId(), requested), tokens.lifetime().toSeconds(), granted);
    }

    /** Forgets what was counted (not the clients, nor the tokens already issued). */
    public void clearCounts() {
        requests.set(0);
        issued.set(0);
        synchronized (errors) {
            errors.clear();
        }
        kids.clear();
    }

    public int requests() {
        return requests.get();
    }

    public int issued() {
        return issued.get();
    }

    public List<String> errors() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    public Set<String> kids() {
        return Set.copyOf(kids);
    }
}
