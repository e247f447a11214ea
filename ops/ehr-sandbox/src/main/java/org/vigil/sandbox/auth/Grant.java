package org.vigil.sandbox.auth;

import java.time.Instant;
import java.util.Set;

/**
 * What an access token allows: SMART system scopes, v1 ({@code system/Observation.write}) or v2
 * ({@code system/Observation.cu}).
 */
public record Grant(String clientId, Set<String> scopes, Instant expiresAt) {

    public static final char CREATE = 'c';
    public static final char READ = 'r';
    public static final char UPDATE = 'u';
    public static final char DELETE = 'd';
    public static final char SEARCH = 's';

    private static final Grant UNRESTRICTED = new Grant("(auth off)", Set.of("system/*.*"), Instant.MAX);

    public Grant {
        scopes = Set.copyOf(scopes);
    }

    /** What requests carry when the sandbox is told not to require tokens. */
    public static Grant unrestricted() {
        return UNRESTRICTED;
    }

    public boolean expired(Instant now) {
        return !now.isBefore(expiresAt);
    }

    /** Whether some scope allows {@code operation} (one of c r u d s) on {@code resourceType}. */
    public boolean permits(String resourceType, char operation) {
        for (String scope : scopes) {
            if (allows(scope, resourceType, operation)) {
                return true;
            }
        }
        return false;
    }

    static boolean allows(String scope, String resourceType, char operation) {
        if (!scope.startsWith("system/")) {
            return false;
        }
        String rest = scope.substring("system/".length());
        int query = rest.indexOf('?');
        if (query >= 0) {
            // v2 finer-grained scopes (system/Observation.rs?category=...): the sandbox grants the whole type
            rest = rest.substring(0, query);
        }
        int dot = rest.lastIndexOf('.');
        if (dot <= 0) {
            return false;
        }
        String type = rest.substring(0, dot);
        String permission = rest.substring(dot + 1);
        if (!type.equals("*") && !type.equals(resourceType)) {
            return false;
        }
        switch (permission) {
            case "*":
                return true;
            case "read":
                return operation == READ || operation == SEARCH;
            case "write":
                return operation == CREATE || operation == UPDATE || operation == DELETE;
            default:
                return permission.matches("c?r?u?d?s?") && permission.indexOf(operation) >= 0;
        }
    }
}
