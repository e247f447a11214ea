package org.vigil.sandbox.auth;

import java.util.Set;

/**
 * A backend client the sandbox trusts.
 *
 * @param scopes    what it may ask for; {@code *} lets it ask for any system scope
 * @param algorithm the one JWS algorithm its assertions must use (null: whichever of RS384/ES384 its key is for)
 */
record RegisteredClient(String clientId, ClientKeys keys, Set<String> scopes, String algorithm) {

    boolean allows(String scope) {
        return scopes.contains(scope) || scopes.contains("*") && scope.startsWith("system/");
    }
}
