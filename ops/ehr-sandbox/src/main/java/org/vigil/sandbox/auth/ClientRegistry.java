package org.vigil.sandbox.auth;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The backend clients registered with the sandbox's authorization server. */
public final class ClientRegistry {

    private static final Set<String> ALGORITHMS = Set.of("RS384", "ES384");

    private final Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final Clock clock;
    private final Duration refetchInterval;

    public ClientRegistry(Clock clock, Duration refetchInterval) {
        this.clock = clock;
        this.refetchInterval = refetchInterval;
    }

    /** Registers (or replaces) a client whose keys are fetched from {@code jwksUrl}. */
    public void register(String clientId, URI jwksUrl, Set<String> scopes, String algorithm) {
        put(clientId, ClientKeys.fetched(jwksUrl, http, clock, refetchInterval), scopes, algorithm);
    }

    /** Registers (or replaces) a client whose public keys are given here. */
    public void register(String clientId, String jwksJson, Set<String> scopes, String algorithm) {
        put(clientId, ClientKeys.inline(jwksJson), scopes, algorithm);
    }

    private void put(String clientId, ClientKeys keys, Set<String> scopes, String algorithm) {
        if (algorithm != null && !ALGORITHMS.contains(algorithm)) {
            throw new IllegalArgumentException("algorithm must be one of " + ALGORITHMS + ", not " + algorithm);
        }
        clients.put(clientId, new RegisteredClient(clientId, keys, Set.copyOf(scopes), algorithm));
    }

    RegisteredClient find(String clientId) {
        return clientId == null ? null : clients.get(clientId);
    }

    public List<String> clientIds() {
        return List.copyOf(clients.keySet());
    }
}
