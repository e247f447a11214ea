package org.vigil.sandbox.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.util.FhirTerser;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.HumanName;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.vigil.sandbox.auth.Grant;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The sandbox's resources, in memory. Every write, a single create as much as a transaction, goes through
 * {@link #write}: planned in full (conditions, ids, references, scopes) before anything is stored, under one lock,
 * so a transaction is all-or-nothing and two concurrent conditional creates of the same identifier make one resource.
 */
public final class FhirStore {

    private static final Pattern LOCAL_REFERENCE = Pattern.compile("^([A-Za-z]+)/([A-Za-z0-9\\-.]{1,64})(/_history/.*)?$");

    private final Object lock = new Object();
    private final FhirTerser terser;
    private final Clock clock;
    private final boolean checkReferences;
    private final Map<String, ResourceTable<?>> tables = new LinkedHashMap<>();
    private final ResourceTable<Patient> patients = table(Patient.class, Patient::getIdentifier);
    private final ResourceTable<Device> devices = table(Device.class, Device::getIdentifier);
    private final ResourceTable<Observation> observations = table(Observation.class, Observation::getIdentifier);
    private final ResourceTable<DiagnosticReport> reports = table(DiagnosticReport.class, DiagnosticReport::getIdentifier);
    private long lastId;

    public FhirStore(FhirContext context, Clock clock, boolean checkReferences) {
        this.terser = context.newTerser();
        this.clock = clock;
        this.checkReferences = checkReferences;
    }

    private <T extends Resource> ResourceTable<T> table(Class<T> type, java.util.function.Function<T, List<Identifier>> ids) {
        ResourceTable<T> table = new ResourceTable<>(type, ids);
        tables.put(table.type, table);
        return table;
    }

    public boolean supports(String resourceType) {
        return tables.containsKey(resourceType);
    }

    // ---- reads (copies, so callers never touch what is stored)

    public <T extends Resource> T read(Class<T> type, String id) {
        synchronized (lock) {
            Resource row = tableOf(type.getSimpleName()).get(id);
            if (row == null) {
                throw new ResourceNotFoundException(new IdType(type.getSimpleName(), id));
            }
            return type.cast(row.copy());
        }
    }

    public <T extends Resource> List<T> search(Class<T> type, Predicate<T> filter) {
        synchronized (lock) {
            List<T> found = new ArrayList<>();
            for (Resource row : tableOf(type.getSimpleName()).all()) {
                T typed = type.cast(row);
                if (filter.test(typed)) {
                    found.add(type.cast(typed.copy()));
                }
            }
            return found;
        }
    }

    public <T extends Resource> Predicate<T> identifierFilter(Class<T> type, IdentifierQuery query) {
        ResourceTable<?> table = tableOf(type.getSimpleName());
        return resource -> query.matchesAny(table.identifiersOf(resource));
    }

    // ---- the sandbox's own set-up

    public String addPatient(String system, String value, String family, String given) {
        Patient patient = new Patient();
        patient.addIdentifier().setSystem(system).setValue(value);
        HumanName name = patient.addName().setFamily(family);
        if (given != null && !given.isBlank()) {
            name.addGiven(given);
        }
        return write(List.of(WriteRequest.create(patient, null)), Grant.unrestricted()).get(0)
                .resource().getIdElement().getIdPart();
    }

    // ---- writes

    /** Applies all requests or none; the results are in request order. */
    public List<WriteResult> write(List<WriteRequest> requests, Grant grant) {
        synchronized (lock) {
            List<Plan> plans = new ArrayList<>();
            Map<String, String> fullUrls = new HashMap<>();
            Set<String> staged = new HashSet<>();
            for (WriteRequest request : requests) {
                Plan plan = plan(request, plans, grant);
                plans.add(plan);
                if (request.fullUrl() != null) {
                    fullUrls.put(request.fullUrl(), plan.type + "/" + plan.id);
                }
                if (plan.outcome != WriteResult.Outcome.EXISTING) {
                    staged.add(plan.type + "/" + plan.id);
                }
            }
            for (Plan plan : plans) {
                if (plan.outcome != WriteResult.Outcome.EXISTING) {
                    resolveReferences(plan.resource, fullUrls, staged);
                }
            }
            return commit(plans);
        }
    }

    /** One request's outcome, decided against what is stored and what this batch already plans. */
    private static final class Plan {
        final String type;
        Resource resource;
        String id;
        WriteResult.Outcome outcome;
        Plan sameAs;
        Resource result;

        Plan(String type) {
            this.type = type;
        }
    }

    private Plan plan(WriteRequest request, List<Plan> earlier, Grant grant) {
        String type = request.type();
        ResourceTable<?> table = tableOf(type);
        Plan plan = new Plan(type);
        plan.resource = request.resource().copy();
        if ("POST".equals(request.method())) {
            require(grant, type, Grant.CREATE);
            if (request.condition() != null && !request.condition().isBlank()) {
                IdentifierQuery query = ConditionalUrl.parse(request.condition());
                List<? extends Resource> stored = table.matching(query);
                List<Plan> planned = plannedMatches(earlier, table, query);
                int matches = stored.size() + planned.size();
                if (matches > 1) {
                    throw new PreconditionFailedException("If-None-Exist " + request.condition() + " matches "
                            + matches + " " + type + " resources");
                }
                if (matches == 1) {
                    plan.outcome = WriteResult.Outcome.EXISTING;
                    if (stored.isEmpty()) {
                        plan.sameAs = planned.get(0);
                        plan.id = plan.sameAs.id;
                    } else {
                        plan.result = stored.get(0);
                        plan.id = plan.result.getIdElement().getIdPart();
                    }
                    return plan;
                }
            }
            plan.outcome = WriteResult.Outcome.CREATED;
            plan.id = nextId();
            return plan;
        }
        if (!"PUT".equals(request.method())) {
            throw new InvalidRequestException("The sandbox EHR writes with POST and PUT only, not " + request.method());
        }
        if (request.id() != null) {
            plan.id = request.id();
            plan.outcome = table.get(request.id()) != null || plannedId(earlier, type, request.id())
                    ? WriteResult.Outcome.UPDATED : WriteResult.Outcome.CREATED;
            if (plan.outcome == WriteResult.Outcome.CREATED && request.id().matches("[0-9]+")) {
                // the server's own ids are numeric; as HAPI's JPA server does, a client may not take one
                throw new InvalidRequestException("Cannot create " + type + "/" + request.id()
                        + " with PUT: client-assigned ids must not be purely numeric");
            }
        } else if (request.condition() != null) {
            IdentifierQuery query = ConditionalUrl.parse(request.condition());
            List<? extends Resource> stored = table.matching(query);
            if (stored.size() > 1 || !plannedMatches(earlier, table, query).isEmpty()) {
                throw new PreconditionFailedException("Conditional update " + request.condition() + " matches "
                        + (stored.size() > 1 ? stored.size() : "more than one") + " " + type + " resources");
            }
            plan.outcome = stored.isEmpty() ? WriteResult.Outcome.CREATED : WriteResult.Outcome.UPDATED;
            plan.id = stored.isEmpty() ? nextId() : stored.get(0).getIdElement().getIdPart();
        } else {
            throw new InvalidRequestException("PUT needs an id or a conditional URL");
        }
        require(grant, type, plan.outcome == WriteResult.Outcome.CREATED ? Grant.CREATE : Grant.UPDATE);
        return plan;
    }

    private static List<Plan> plannedMatches(List<Plan> earlier, ResourceTable<?> table, IdentifierQuery query) {
        List<Plan> found = new ArrayList<>();
        for (Plan plan : earlier) {
            if (plan.type.equals(table.type) && plan.outcome != WriteResult.Outcome.EXISTING
                    && query.matchesAny(table.identifiersOf(plan.resource))) {
                found.add(plan);
            }
        }
        return found;
    }

    private static boolean plannedId(List<Plan> earlier, String type, String id) {
        for (Plan plan : earlier) {
            if (plan.type.equals(type) && plan.id.equals(id)) {
                return true;
            }
        }
        return false;
    }

    private static void require(Grant grant, String type, char operation) {
        if (!grant.permits(type, operation)) {
            throw new ForbiddenOperationException("The token's scopes " + grant.scopes() + " do not allow '"
                    + operation + "' on " + type);
        }
    }

    /** Points urn:uuid references at the ids this batch assigns; refuses references to nothing. */
    private void resolveReferences(Resource resource, Map<String, String> fullUrls, Set<String> staged) {
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
            String target = reference.getReference();
            if (target == null || target.isEmpty() || target.startsWith("#")) {
                continue;
            }
            String mapped = fullUrls.get(target);
            if (mapped != null) {
                reference.setReference(mapped);
                continue;
            }
            if (target.startsWith("urn:")) {
                throw new InvalidRequestException("Reference " + target + " in " + resource.fhirType()
                        + " matches no fullUrl of this transaction");
            }
            Matcher local = LOCAL_REFERENCE.matcher(target);
            if (checkReferences && local.matches() && tables.containsKey(local.group(1))
                    && tables.get(local.group(1)).get(local.group(2)) == null
                    && !staged.contains(local.group(1) + "/" + local.group(2))) {
                // as HAPI's JPA server does: a reference to a resource the server does not have is an error
                throw new InvalidRequestException("Resource " + local.group(1) + "/" + local.group(2)
                        + " not found, referenced from " + resource.fhirType());
            }
        }
    }

    private List<WriteResult> commit(List<Plan> plans) {
        Date now = Date.from(clock.instant());
        List<WriteResult> results = new ArrayList<>();
        for (Plan plan : plans) {
            ResourceTable<?> table = tableOf(plan.type);
            Resource resource = plan.resource;
            switch (plan.outcome) {
                case CREATED:
                    stamp(resource, plan.type, plan.id, 1, now);
                    table.created(plan.id, resource);
                    plan.result = resource;
                    break;
                case UPDATED:
                    Resource old = table.get(plan.id);
                    int version = old == null ? 1 : Integer.parseInt(old.getMeta().getVersionId()) + 1;
                    stamp(resource, plan.type, plan.id, version, now);
                    table.updated(plan.id, resource);
                    plan.result = resource;
                    break;
                default:
                    table.conditionalHit();
                    if (plan.sameAs != null) {
                        plan.result = plan.sameAs.result;
                    }
                    break;
            }
        }
        for (Plan plan : plans) {
            results.add(new WriteResult(plan.outcome, plan.result.copy()));
        }
        return results;
    }

    private static void stamp(Resource resource, String type, String id, int version, Date now) {
        resource.setId(new IdType(type, id, String.valueOf(version)));
        resource.getMeta().setVersionId(String.valueOf(version)).setLastUpdated(now);
    }

    private String nextId() {
        return String.valueOf(++lastId);
    }

    private ResourceTable<?> tableOf(String type) {
        ResourceTable<?> table = tables.get(type);
        if (table == null) {
            throw new InvalidRequestException("The sandbox EHR does not store " + type + " resources");
        }
        return table;
    }

    // ---- what tests count

    public Counts counts(String type) {
        synchronized (lock) {
            ResourceTable<?> table = tableOf(type);
            return new Counts(table.size(), table.creates(), table.updates(), table.conditionalHits(),
                    table.createsByIdentifier());
        }
    }

    /**
     * One type's counters.
     *
     * @param createsByIdentifier identifier value → resources created with it (1 for exactly-once delivery)
     */
    public record Counts(int stored, int creates, int updates, int conditionalHits,
                         Map<String, Integer> createsByIdentifier) {
    }

    public <T extends Resource> List<T> all(Class<T> type) {
        return search(type, r -> true);
    }

    /** Forgets everything but the patients, which are the sandbox's set-up rather than what it received. */
    public void clearReceived() {
        synchronized (lock) {
            devices.clear();
            observations.clear();
            reports.clear();
        }
    }
}
