package org.vigil.ehr.internal;

import jakarta.inject.Singleton;
import org.vigil.core.TenantId;

import java.util.function.Consumer;

/**
 * Producers in this process tell the tenant's dispatchers that there is new work, so they need not wait for their
 * next poll. (A wake-up before the producer's commit just finds nothing; the poll picks it up.)
 */
@Singleton
class DispatchSignal {
    private volatile Consumer<TenantId> listener = t -> { };

    void listen(Consumer<TenantId> l) {
        listener = l;
    }

    void wake(TenantId tenant) {
        listener.accept(tenant);
    }
}
