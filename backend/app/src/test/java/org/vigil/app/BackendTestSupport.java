package org.vigil.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.TestInstance;
import org.vigil.simulator.DevTokens;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Starts the backend in-process against the real stack, with a JWKS made for this test class so tests can mint
 * tokens for any tenant. Readings are flushed quickly so tests don't wait on batching.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendTestSupport implements TestPropertyProvider {
    /** 32 bytes, base64: the key-encryption key every in-process test backend seals signing keys with. */
    public static final String TEST_KEK = "dGVzdC1vbmx5LWtleS1lbmNyeXB0aW9uLWtleS0zMmI=";
    protected final DevTokens tokens;
    private final Path keyDir;

    protected BackendTestSupport() {
        try {
            keyDir = Files.createTempDirectory("vigil-test-jwt");
            tokens = DevTokens.generate(keyDir);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "micronaut.server.port", "-1",
                "micronaut.security.token.jwt.signatures.jwks-static.vigil.path", "file:" + keyDir.resolve("jwks.json"),
                "vigil.ingest.max-delay", "100ms",
                // A canary would add its tenant's synthetic readings to every test's tenant (CanaryIT turns it on).
                "vigil.alerting.canary.enabled", "false",
                // Seals the test tenants' SMART signing keys (EHR sync); a fixed key is fine for throw-away data.
                "vigil.ehr.key-encryption-key", TEST_KEK);
    }

    protected String token(String tenant) {
        return tokens.mint(tenant, "care-manager@" + tenant, Duration.ofMinutes(10), List.of("care-manager"));
    }

    /** A token with the tenant-admin role, for changing a tenant's configuration. */
    protected String adminToken(String tenant) {
        return tokens.mint(tenant, "admin@" + tenant, Duration.ofMinutes(10), List.of("tenant-admin"));
    }

    protected <T> MutableHttpRequest<T> get(String uri, String tenant) {
        return HttpRequest.<T>GET(uri).bearerAuth(token(tenant));
    }
}
