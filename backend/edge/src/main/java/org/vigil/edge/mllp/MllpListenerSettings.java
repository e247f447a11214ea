package org.vigil.edge.mllp;

import io.micronaut.context.annotation.EachProperty;
import io.micronaut.context.annotation.Parameter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * One MLLP listener, {@code vigil.mllp.listeners.<name>.*}. The port decides the tenant: a gateway's messages
 * belong to the tenant of the port it connects to, whatever they say inside.
 *
 * @param tenant             the tenant id every message on this port belongs to (required: checked at startup)
 * @param port               the TCP port (required; 0 lets the system choose, for tests)
 * @param host               the address to bind (loopback unless a listener is meant to be reached from outside)
 * @param keystore           a PKCS12 keystore with the listener's certificate and key: the listener speaks TLS
 * @param truststore         a PKCS12 truststore: clients must present a certificate it trusts (mutual TLS)
 * @param publishTimeout     how long to wait for JetStream to store a message before answering AE (207)
 * @param idleTimeout        a connection that sends nothing for this long is closed
 * @param maxConnections     further connections are closed at once, so a flood cannot exhaust threads
 * @param maxMessageBytes    a longer message is answered AE without being decoded
 */
@EachProperty("vigil.mllp.listeners")
public record MllpListenerSettings(
        @Parameter String name,
        @Nullable String tenant,
        @Nullable Integer port,
        @Bindable(defaultValue = "127.0.0.1") String host,
        @Nullable String keystore,
        @Nullable String keystorePassword,
        @Nullable String truststore,
        @Nullable String truststorePassword,
        @Bindable(defaultValue = "5s") Duration publishTimeout,
        @Bindable(defaultValue = "5m") Duration idleTimeout,
        @Bindable(defaultValue = "64") int maxConnections,
        @Bindable(defaultValue = "1048576") int maxMessageBytes) {

    public boolean tls() {
        return keystore != null && !keystore.isBlank();
    }

    public boolean clientCertificates() {
        return tls() && truststore != null && !truststore.isBlank();
    }
}
