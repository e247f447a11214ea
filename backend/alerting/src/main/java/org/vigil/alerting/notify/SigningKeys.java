package org.vigil.alerting.notify;

import java.util.Optional;

/** The tenant's current key for signing outbound webhooks; empty when the tenant has none. */
public interface SigningKeys {
    Optional<SigningKey> current(String tenant);
}
