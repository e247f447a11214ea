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
import java.util.Optional;
import java.util.UUID;

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
            String key = TenantId.isValid(tenant) ? tenant : TenantScope.QUARANTINE;
            scope.inScope(key, () -> {
                for (DeadLetter d : letters) {
                    repository.insertOnce(key, UUID.randomUUID(), d.receivedAt(), d.subject(), d.code().name(),
                            d.reason(), d.payload(), d.streamSeq() < 0 ? null : d.streamSeq());
                }
                return null;
            });
        });
    }

    /** What to list: all fields optional. {@code format} is the subject's format token (gatt, omh, hl7v2, …). */
    public record Filter(@Nullable String code, @Nullable String format, @Nullable Instant since) {
    }

    /**
     * A page of a tenant's dead letters, newest first: those after the row (before, beforeId) in that order, or
     * the newest when {@code before} is null. The pair is the last row of the previous page.
     */
    public List<DeadLetterRow> page(TenantId tenant, Filter filter, @Nullable Instant before, @Nullable UUID beforeId, int limit) {
        return scope.readInTenant(tenant, () -> repository.page(tenant.value(), filter.code(), filter.format(),
                filter.since(), before, beforeId, limit));
    }

    /** How many dead letters the tenant received at or after {@code since}, for the operations board. */
    public long countSince(TenantId tenant, Instant since) {
        return scope.readInTenant(tenant, () -> repository.countSince(tenant.value(), since));
    }

    public Optional<DeadLetterRow> find(TenantId tenant, UUID id) {
        return scope.readInTenant(tenant, () -> repository.find(tenant.value(), id));
    }

    public void markResubmitted(TenantId tenant, UUID id, Instant at) {
        scope.writeInTenant(tenant, () -> {
            repository.markResubmitted(tenant.value(), id, at);
            return null;
        });
    }
}
