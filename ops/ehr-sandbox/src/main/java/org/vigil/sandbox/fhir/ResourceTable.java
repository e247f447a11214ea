package org.vigil.sandbox.fhir;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** One resource type's rows (in creation order) and write counters. Not thread-safe: FhirStore guards it. */
final class ResourceTable<T extends Resource> {

    final String type;
    final Class<T> resourceClass;
    private final Function<T, List<Identifier>> identifiers;
    private final Map<String, T> rows = new LinkedHashMap<>();
    // identifier value → ids: conditional creates look up by identifier on every write, which a scan would make
    // quadratic over a benchmark's run
    private final Map<String, Set<String>> idsByValue = new HashMap<>();
    private final Map<String, Integer> createsByIdentifier = new LinkedHashMap<>();
    private int creates;
    private int updates;
    private int conditionalHits;

    ResourceTable(Class<T> resourceClass, Function<T, List<Identifier>> identifiers) {
        this.resourceClass = resourceClass;
        this.type = resourceClass.getSimpleName();
        this.identifiers = identifiers;
    }

    T get(String id) {
        return rows.get(id);
    }

    Collection<T> all() {
        return rows.values();
    }

    List<Identifier> identifiersOf(Resource resource) {
        return identifiers.apply(resourceClass.cast(resource));
    }

    List<T> matching(IdentifierQuery query) {
        List<T> found = new ArrayList<>();
        Collection<T> candidates = rows.values();
        if (query.value() != null) {
            candidates = new ArrayList<>();
            for (String id : idsByValue.getOrDefault(query.value(), Set.of())) {
                candidates.add(rows.get(id));
            }
        }
        for (T row : candidates) {
            if (query.matchesAny(identifiers.apply(row))) {
                found.add(row);
            }
        }
        return found;
    }

    void created(String id, Resource resource) {
        put(id, resource);
        creates++;
        for (Identifier identifier : identifiersOf(resource)) {
            if (identifier.hasValue()) {
                createsByIdentifier.merge(identifier.getValue(), 1, Integer::sum);
            }
        }
    }

    void updated(String id, Resource resource) {
        put(id, resource);
        updates++;
    }

    private void put(String id, Resource resource) {
        T old = rows.put(id, resourceClass.cast(resource));
        if (old != null) {
            for (Identifier identifier : identifiers.apply(old)) {
                Set<String> ids = idsByValue.get(identifier.getValue());
                if (ids != null) {
                    ids.remove(id);
                }
            }
        }
        for (Identifier identifier : identifiersOf(resource)) {
            if (identifier.hasValue()) {
                idsByValue.computeIfAbsent(identifier.getValue(), v -> new LinkedHashSet<>()).add(id);
            }
        }
    }

    void conditionalHit() {
        conditionalHits++;
    }

    int size() {
        return rows.size();
    }

    int creates() {
        return creates;
    }

    int updates() {
        return updates;
    }

    int conditionalHits() {
        return conditionalHits;
    }

    Map<String, Integer> createsByIdentifier() {
        return Map.copyOf(createsByIdentifier);
    }

    void clear() {
        rows.clear();
        idsByValue.clear();
        createsByIdentifier.clear();
        creates = 0;
        updates = 0;
        conditionalHits = 0;
    }
}
