package org.vigil.sandbox.fhir;

import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Resource;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** One resource type's rows (in creation order) and write counters. Not thread-safe: FhirStore guards it. */
final class ResourceTable<T extends Resource> {

    final String type;
    final Class<T> resourceClass;
    private final Function<T, List<Identifier>> identifiers;
    private final Map<String, T> rows = new LinkedHashMap<>();
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
        for (T row : rows.values()) {
            if (query.matchesAny(identifiers.apply(row))) {
                found.add(row);
            }
        }
        return found;
    }

    void created(String id, Resource resource) {
        rows.put(id, resourceClass.cast(resource));
        creates++;
        for (Identifier identifier : identifiersOf(resource)) {
            if (identifier.hasValue()) {
                createsByIdentifier.merge(identifier.getValue(), 1, Integer::sum);
            }
        }
    }

    void updated(String id, Resource resource) {
        rows.put(id, resourceClass.cast(resource));
        updates++;
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
        createsByIdentifier.clear();
        creates = 0;
        updates = 0;
        conditionalHits = 0;
    }
}
