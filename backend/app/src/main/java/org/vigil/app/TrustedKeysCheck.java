package org.vigil.app;

import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.exceptions.ConfigurationException;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Refuses to start without the keys that sign access tokens. Without this check the server starts, and then
 * answers every request, even /status, with a 500 from deep inside the security filter.
 */
@Context
class TrustedKeysCheck {
    TrustedKeysCheck(@Value("${micronaut.security.token.jwt.signatures.jwks-static.vigil.path:}") String jwks) {
        if (jwks.startsWith("file:") && !Files.isReadable(Path.of(jwks.substring("file:".length())))) {
            throw new ConfigurationException("The JWKS file " + jwks + " (VIGIL_JWKS_FILE) does not exist or cannot be"
                    + " read. ops/run creates a development key in .vigil/dev/jwt; elsewhere point VIGIL_JWKS_FILE at"
                    + " the JWKS of your identity provider.");
        }
    }
}
