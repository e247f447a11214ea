package org.vigil.ui.auth;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;
import org.vigil.ui.server.UiSettings;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The dashboard's side of OpenID Connect: authorization code with PKCE (S256) against the realm, and verification
 * of the ID token it returns (signature through the realm's JWKS, issuer, audience, expiry, nonce). A public
 * client: there is no client secret to keep.
 */
@Singleton
public class OidcClient {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final UiSettings settings;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    private final SecureRandom random = new SecureRandom();
    private volatile Provider provider;

    public OidcClient(UiSettings settings) {
        this.settings = settings;
    }

    /** What the realm's discovery document says, fetched on first use: Keycloak may start after this process. */
    record Provider(String authorization, String token, String endSession,
                    DefaultJWTProcessor<SecurityContext> idTokens) {
    }

    /** A sign-in in progress, kept in the browser's session until the identity provider sends the user back. */
    public record Pending(String state, String nonce, String verifier, String next, Instant startedAt) implements java.io.Serializable {
    }

    public static class SignInFailed extends Exception {
        public SignInFailed(String message) {
            super(message);
        }

        public SignInFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    public Pending start(String next) {
        return new Pending(randomToken(), randomToken(), randomToken() + randomToken(), next, Instant.now());
    }

    public String authorizationUrl(Pending p) throws SignInFailed {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", settings.clientId());
        q.put("redirect_uri", callbackUrl());
        q.put("scope", "openid profile");
        q.put("state", p.state());
        q.put("nonce", p.nonce());
        q.put("code_challenge", challenge(p.verifier()));
        q.put("code_challenge_method", "S256");
        return provider().authorization() + "?" + form(q);
    }

    /** Exchanges the code for tokens and returns who signed in. */
    public SignedInUser finish(Pending p, String code) throws SignInFailed {
        Provider pr = provider();
        Map<String, String> body = new LinkedHashMap<>();
        body.put("grant_type", "authorization_code");
        body.put("code", code);
        body.put("redirect_uri", callbackUrl());
        body.put("client_id", settings.clientId());
        body.put("code_verifier", p.verifier());
        Map<String, Object> tokens;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(pr.token())).timeout(TIMEOUT)
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form(body))).build(), HttpResponse.BodyHandlers.ofString());
            tokens = JSONObjectUtils.parse(r.body());
            if (r.statusCode() != 200) {
                throw new SignInFailed("The identity provider refused the sign-in: " + tokens.getOrDefault("error_description",
                        tokens.getOrDefault("error", "HTTP " + r.statusCode())));
            }
        } catch (IOException | java.text.ParseException e) {
            throw new SignInFailed("The identity provider could not be reached to finish the sign-in.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInFailed("interrupted", e);
        }
        Object idToken = tokens.get("id_token");
        if (!(idToken instanceof String s)) {
            throw new SignInFailed("The identity provider sent no ID token.");
        }
        return verify(s, p.nonce());
    }

    SignedInUser verify(String idToken, String nonce) throws SignInFailed {
        JWTClaimsSet claims;
        try {
            claims = provider().idTokens().process(idToken, null);
        } catch (Exception e) {
            throw new SignInFailed("The ID token could not be verified: " + e.getMessage(), e);
        }
        if (!nonce.equals(claims.getClaim("nonce"))) {
            throw new SignInFailed("The ID token does not answer this sign-in (nonce).");
        }
        Set<String> roles = new HashSet<>();
        Object r = claims.getClaim("roles");
        if (r instanceof List<?> list) {
            list.forEach(x -> roles.add(String.valueOf(x)));
        }
        Object t = claims.getClaim("tenant");
        String tenant = t instanceof String ts && TenantId.isValid(ts) ? ts : null;
        if (tenant == null && !roles.contains("platform-admin")) {
            throw new SignInFailed("Your account belongs to no tenant. An administrator must set your tenant before you can sign in.");
        }
        String username = string(claims, "preferred_username", claims.getSubject());
        return new SignedInUser(claims.getSubject(), username, string(claims, "name", username), tenant, roles, idToken, Instant.now());
    }

    /** Where the browser goes to end the identity provider's session too, coming back to the signed-out page. */
    public String endSessionUrl(String idToken) throws SignInFailed {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("id_token_hint", idToken);
        q.put("client_id", settings.clientId());
        q.put("post_logout_redirect_uri", settings.base() + "/signed-out");
        return provider().endSession() + "?" + form(q);
    }

    public String callbackUrl() {
        return settings.base() + "/oauth/callback";
    }

    private Provider provider() throws SignInFailed {
        Provider p = provider;
        if (p == null) {
            p = discover();
            provider = p;
        }
        return p;
    }

    private Provider discover() throws SignInFailed {
        String issuer = settings.issuer().endsWith("/") ? settings.issuer().substring(0, settings.issuer().length() - 1) : settings.issuer();
        Map<String, Object> doc;
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration"))
                    .timeout(TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new SignInFailed("The identity provider at " + issuer + " answered HTTP " + r.statusCode() + " to discovery.");
            }
            doc = JSONObjectUtils.parse(r.body());
            JWKSource<SecurityContext> keys = JWKSourceBuilder.create(URI.create((String) doc.get("jwks_uri")).toURL())
                    .retrying(true).build();
            DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
            processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256,
                    JWSAlgorithm.PS256), keys));
            processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(settings.clientId(),
                    new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("sub", "exp", "iat", "nonce")));
            return new Provider((String) doc.get("authorization_endpoint"), (String) doc.get("token_endpoint"),
                    (String) doc.get("end_session_endpoint"), processor);
        } catch (IOException | java.text.ParseException | RuntimeException e) {
            throw new SignInFailed("The identity provider at " + issuer + " cannot be reached; try again in a minute.", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SignInFailed("interrupted", e);
        }
    }

    private static String string(JWTClaimsSet claims, String name, String otherwise) {
        Object v = claims.getClaim(name);
        return v instanceof String s && !s.isBlank() ? s : otherwise;
    }

    private String randomToken() {
        byte[] b = new byte[24];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static String challenge(String verifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(verifier.getBytes(StandardCharsets.US_ASCII));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String form(Map<String, String> values) {
        return values.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
    }
}
