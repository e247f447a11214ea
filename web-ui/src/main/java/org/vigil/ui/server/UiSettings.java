package org.vigil.ui.server;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The care-team dashboard's web server and sign-in.
 *
 * @param enabled     serve the dashboard from this process (integration tests of the API turn it off)
 * @param host        loopback by default: a reverse proxy gives it a public address (TLS ends there)
 * @param port        its own port, next to the API's (recipes/vaadin-on-micronaut.md: two ports is the clean layout)
 * @param publicUrl   how browsers reach it: the OIDC redirect and sign-out return addresses are built from it and
 *                    must be registered with the realm's {@code vigil-web} client
 * @param issuer      the OIDC issuer (Keycloak realm URL); discovery, JWKS and sign-out come from it
 * @param clientId    the public PKCE client of the dashboard
 * @param idleTimeout a session nobody has used for this long ends: heartbeats and pushed updates do not count
 */
@ConfigurationProperties("vigil.ui")
public record UiSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "127.0.0.1") String host,
        @Bindable(defaultValue = "18081") int port,
        @Bindable(defaultValue = "http://127.0.0.1:18081") String publicUrl,
        @Bindable(defaultValue = "http://127.0.0.1:18180/realms/vigil") String issuer,
        @Bindable(defaultValue = "vigil-web") String clientId,
        @Bindable(defaultValue = "30m") Duration idleTimeout) {

    /** The public URL without a trailing slash. */
    public String base() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }
}
