package org.vigil.registry;

import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.vigil.core.DeadLetter;
import org.vigil.core.DeadLetterSink;
import org.vigil.core.TenantId;
import org.vigil.registry.internal.DeadLetterRepository;


import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

/** Dead letters in PostgreSQL: written by the pipeline, listed by the API, newest first. */
@Singleton
public class DeadLetters implements DeadLetterSink {
    private final TenantScope scope;
    private final DeadLetterRepository repository;

    public DeadLetters(TenantScope scope, DeadLetterRepository repository) {
        this.scope = scope;
        this.repository = repository;
    }

    @Override
    public void write(List<DeadLetter> deadLetters) {
        Map<String, List<DeadLetter>> byTenant = new LinkedHashMap<>();
        deadLetters.forEach(d -> byTenant.computeIfAbsent(d.tenant(), t -> new ArrayList<>()).add(d));
        byTenant.forEach((tenant, letters) -> {
            boolean valid = TenantId.isValid(tenant);
            Supplier<Void> insert = () -> {
                for (DeadLetter d : letters) {
                    repository.insertOnce(valid ? tenant : TenantScope.QUARANTINE, UUID.randomUUID(), d.receivedAt(), d.subject(), d.code().name(),
                            d.reason(), d.payload(), d.streamSeq() < 0 ? null : d.streamSeq());
                }
                return null;
            };
            if (valid) {
                scope.inTenant(new TenantId(tenant), insert);
            } else {
                scope.inQuarantine(insert);
            }
        });
    }

    /**
     * A page of a tenant's dead letters received strictly before {@code before} (or the newest when null).
     */
    public List<DeadLetterRow> page(TenantId tenant, @Nullable Instant before, @Nullable UUID beforeId, int limit) {
        return scope.readInTenant(tenant, () -> before == null
                ? repository.newest(tenant.value(), limit)
                : repository.olderThan(tenant.value(), before, beforeId == null ? new UUID(-1L, -1L) : beforeId, limit));
    }
}
