package org.vigil.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.test.support.TestPropertyProvider;
import org.junit.jupiter.api.TestInstance;
import org.vigil.simulator.KeycloakUsers;

import java.util.Map;

/**
 * Starts the backend in-process against the real stack, which validates the stack's Keycloak tokens as in
 * production ({@code VIGIL_OIDC_ISSUER}); tests get real tokens for any tenant and role from {@link KeycloakUsers}
 * ({@code VIGIL_KEYCLOAK_URL}). Readings are flushed quickly so tests don't wait on batching.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BackendTestSupport implements TestPropertyProvider {
    /** 32 bytes, base64: the key-encryption key every in-process test backend seals signing keys with. */
    public static final String TEST_KEK = "dGVzdC1vbmx5LWtleS1lbmNyeXB0aW9uLWtleS0zMmI=";
    protected final KeycloakUsers users = KeycloakUsers.local(System.getenv());

    @Override
    public Map<String, String> getProperties() {
        return Map.of(
                "micronaut.server.port", "-1",
                "vigil.ingest.max-delay", "100ms",
                // A canary would add its tenant's synthetic readings to every test's tenant (CanaryIT turns it on).
                "vigil.alerting.canary.enabled", "false",
                // Seals the test tenants' SMART signing keys (EHR sync); a fixed key is fine for throw-away data.
                "vigil.ehr.key-encryption-key", TEST_KEK,
                // The dashboard binds a fixed port (the realm's redirect URIs name it); only its own tests start it.
                "vigil.ui.enabled", "false");
    }

    /** A care manager's token for the tenant; the user is {@code care-manager@<tenant>}. */
    protected String token(String tenant) {
        return users.token(tenant, "care-manager");
    }

    /** A token with the tenant-admin role, for changing a tenant's configuration. */
    protected String adminToken(String tenant) {
        return users.token(tenant, "tenant-admin");
    }

    /** A token of the user with {@code role} in {@code tenant} (null: a user without a tenant). */
    protected String token(String tenant, String role) {
        return users.token(tenant, role);
    }

    protected <T> MutableHttpRequest<T> get(String uri, String tenant) {
        return HttpRequest.<T>GET(uri).bearerAuth(token(tenant));
    }
}
