package org.vigil.edge.mllp;

import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.exceptions.ConfigurationException;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.core.DeadLetterSink;
import org.vigil.core.TenantId;
import org.vigil.edge.StreamPublisher;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Starts one MLLP listener per {@code vigil.mllp.listeners.<name>} at startup and stops them at shutdown. A
 * listener without a valid tenant, or two listeners on one port, stop the startup: the port is what decides the
 * tenant, so a listener that cannot say which tenant it serves must not listen at all.
 */
@Context
public class MllpListeners implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MllpListeners.class);

    private final Map<String, MllpListener> listeners = new LinkedHashMap<>();

    public MllpListeners(List<MllpListenerSettings> settings, Hl7Intake intake, BeanProvider<StreamPublisher> stream,
                         BeanProvider<DeadLetterSink> deadLetters) {
        check(settings);
        try {
            for (MllpListenerSettings s : settings) {
                StreamPublisher publisher = stream.get();
                DurablePublisher durable = (subject, payload, id, timeout) ->
                        publisher.publishDurably(subject, payload, id, timeout).isDuplicate();
                Hl7Receiver receiver = new Hl7Receiver(new TenantId(s.tenant()), intake, durable, deadLetters.get(),
                        Clock.systemUTC(), s.publishTimeout());
                MllpListener listener = MllpListener.start(s, receiver);
                listeners.put(s.name(), listener);
                LOG.info("MLLP listener '{}' for tenant {} on {}:{} ({})", s.name(), s.tenant(), s.host(), listener.port(),
                        s.clientCertificates() ? "TLS, client certificates required" : s.tls() ? "TLS" : "plain TCP");
            }
        } catch (IOException | GeneralSecurityException e) {
            close();
            throw new ConfigurationException(e.getMessage(), e);
        }
    }

    private static void check(List<MllpListenerSettings> settings) {
        Set<Integer> ports = new HashSet<>();
        List<String> problems = new ArrayList<>();
        for (MllpListenerSettings s : settings) {
            String at = "vigil.mllp.listeners." + s.name();
            if (s.tenant() == null || !TenantId.isValid(s.tenant())) {
                problems.add(at + ".tenant is '" + s.tenant() + "', not a tenant id (2-63 of a-z, 0-9, '-')");
            }
            if (s.port() == null) {
                problems.add(at + ".port is missing");
            } else if (s.port() < 0 || s.port() > 65_535) {
                problems.add(at + ".port " + s.port() + " is not a TCP port");
            } else if (s.port() != 0 && !ports.add(s.port())) {
                problems.add(at + ".port " + s.port() + " is used by another listener");
            }
            if (s.truststore() != null && !s.truststore().isBlank() && !s.tls()) {
                problems.add(at + ".truststore is set without a keystore: client certificates need TLS");
            }
        }
        if (!problems.isEmpty()) {
            throw new ConfigurationException("MLLP listeners misconfigured: " + String.join("; ", problems) + ".");
        }
    }

    /** The port listener {@code name} is bound to. */
    public int port(String name) {
        MllpListener l = listeners.get(name);
        if (l == null) {
            throw new IllegalArgumentException("No MLLP listener named '" + name + "' (configured: " + listeners.keySet() + ").");
        }
        return l.port();
    }

    @PreDestroy
    @Override
    public void close() {
        listeners.values().forEach(MllpListener::close);
        listeners.clear();
    }
}
