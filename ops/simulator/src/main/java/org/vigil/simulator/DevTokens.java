package org.vigil.simulator;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

/**
 * Development-only RS256 signing key and token minting, so the backend can run its real JWT validation (against
 * a JWKS file) without an identity provider. Never use these keys outside a dev stack: the private key sits in a
 * plain file.
 */
public final class DevTokens {
    public static final String ISSUER = "vigil-dev";
    public static final String AUDIENCE = "vigil-api";
    public static final String PRIVATE_JWK = "private.jwk";
    public static final String JWKS = "jwks.json";

    private final RSAKey key;
    private final Clock clock;
    private final RSASSASigner signer;

    public DevTokens(RSAKey key, Clock clock) {
        if (!key.isPrivate()) {
            throw new IllegalArgumentException("minting needs the private key");
        }
        if (key.getKeyID() == null) {
            throw new IllegalArgumentException("the key needs a kid: validators pick the JWKS entry by it");
        }
        this.key = key;
        this.clock = clock;
        try {
            this.signer = new RSASSASigner(key);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable RSA key", e);
        }
    }

    public DevTokens(RSAKey key) {
        this(key, Clock.systemUTC());
    }

    /** A fresh 2048-bit RS256 signing key whose kid is its RFC 7638 thumbprint. */
    public static RSAKey newKey() {
        try {
            return new RSAKeyGenerator(2048)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(JWSAlgorithm.RS256)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("RSA key generation is available in every JRE", e);
        }
    }

    /**
     * Loads the key pair in {@code dir}, creating it first if absent, and (re)writes {@code jwks.json} from it so
     * the public half always matches the private one.
     */
    public static DevTokens generate(Path dir) throws IOException {
        Path privateFile = dir.resolve(PRIVATE_JWK);
        DevTokens tokens;
        if (Files.exists(privateFile)) {
            tokens = load(dir);
        } else {
            Files.createDirectories(dir);
            tokens = new DevTokens(newKey());
            writePrivate(privateFile, tokens.key.toJSONString());
        }
        tokens.writeJwks(dir.resolve(JWKS));
        return tokens;
    }

    public static DevTokens load(Path dir) throws IOException {
        Path privateFile = dir.resolve(PRIVATE_JWK);
        if (!Files.exists(privateFile)) {
            throw new IOException("no " + PRIVATE_JWK + " in " + dir + ": run 'keygen --dir " + dir + "' first");
        }
        try {
            return new DevTokens(RSAKey.parse(Files.readString(privateFile, StandardCharsets.UTF_8)));
        } catch (ParseException e) {
            throw new IOException(privateFile + " is not an RSA JWK: " + e.getMessage(), e);
        }
    }

    private static void writePrivate(Path file, String json) throws IOException {
        if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        }
        Files.writeString(file, json, StandardCharsets.UTF_8);
    }

    public String keyId() {
        return key.getKeyID();
    }

    /** The public JWKS a validator trusts: {@code {"keys":[...]}} with the public key only. */
    public JWKSet publicJwks() {
        return new JWKSet(key.toPublicJWK());
    }

    public String publicJwksJson() {
        return publicJwks().toString(true);
    }

    public void writeJwks(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Files.writeString(file, publicJwksJson(), StandardCharsets.UTF_8);
    }

    /**
     * A signed compact JWT for {@code subject} in {@code tenant}, valid for {@code ttl} from now (negative for an
     * already expired one). A null tenant leaves the {@code tenant} claim out, for tests of what the API does
     * with a token that names no tenant.
     */
    public String mint(String tenant, String subject, Duration ttl, List<String> roles) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        if (tenant != null) {
            builder.claim("tenant", tenant);
        }
        JWTClaimsSet claims = builder
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("roles", List.copyOf(roles))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build();
        SignedJWT jwt = new SignedJWT(header, claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing with a valid RSA key does not fail", e);
        }
        return jwt.serialize();
    }
}
