package org.vigil.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/** A SMART Backend Services client as a connector would be: its keys, its JWKS served over HTTP, its assertions. */
final class SmartClient implements AutoCloseable {

    final String clientId;
    private final List<JWK> keys = new ArrayList<>();
    private final HttpServer jwksServer;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    SmartClient(String clientId) throws IOException {
        this.clientId = clientId;
        jwksServer = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        jwksServer.createContext("/jwks.json", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body;
            synchronized (keys) {
                body = new JWKSet(new ArrayList<>(keys)).toPublicJWKSet().toString().getBytes(StandardCharsets.UTF_8);
            }
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        jwksServer.start();
    }

    URI jwksUrl() {
        return URI.create("http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json");
    }

    int jwksFetches() {
        return jwksFetches.get();
    }

    JWK addRsaKey(String kid) throws JOSEException {
        return add(new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS384).generate());
    }

    JWK addEcKey(String kid) throws JOSEException {
        return add(new ECKeyGenerator(Curve.P_384).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.ES384).generate());
    }

    private JWK add(JWK key) {
        synchronized (keys) {
            keys.add(key);
        }
        return key;
    }

    /** A valid assertion for {@code tokenUrl} signed with {@code key}. */
    String assertion(JWK key, URI tokenUrl) throws JOSEException {
        return assertion(key, claims(tokenUrl.toString(), Instant.now().plusSeconds(240), UUID.randomUUID().toString()));
    }

    JWTClaimsSet.Builder claims(String audience, Instant expires, String jti) {
        return new JWTClaimsSet.Builder().issuer(clientId).subject(clientId).audience(audience)
                .expirationTime(Date.from(expires)).jwtID(jti);
    }

    String assertion(JWK key, JWTClaimsSet.Builder claims) throws JOSEException {
        JWSAlgorithm alg = key instanceof RSAKey ? JWSAlgorithm.RS384 : JWSAlgorithm.ES384;
        JWSSigner signer = key instanceof RSAKey ? new RSASSASigner((RSAKey) key) : new ECDSASigner((ECKey) key);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).type(com.nimbusds.jose.JOSEObjectType.JWT).build(),
                claims.build());
        jwt.sign(signer);
        return jwt.serialize();
    }

    /** POSTs a token request; returns the status and the JSON answer. */
    TokenAnswer requestToken(URI tokenUrl, String assertion, String scope) throws IOException, InterruptedException {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        form.put("scope", scope);
        form.put("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
        form.put("client_assertion", assertion);
        String body = form.entrySet().stream()
                .map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(tokenUrl).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return new TokenAnswer(response.statusCode(), json.readTree(response.body()));
    }

    /** A token for {@code scope}, or a failed assertion. */
    String token(JWK key, URI tokenUrl, String scope) throws Exception {
        TokenAnswer answer = requestToken(tokenUrl, assertion(key, tokenUrl), scope);
        if (answer.status() != 200) {
            throw new AssertionError("token refused: " + answer);
        }
        return answer.body().get("access_token").asText();
    }

    record TokenAnswer(int status, JsonNode body) {
        String error() {
            return body.path("error").asText(null);
        }
    }

    @Override
    public void close() {
        jwksServer.stop(0);
    }
}
