package org.vigil.sandbox.fhir;

import ca.uhn.fhir.rest.annotation.Transaction;
import ca.uhn.fhir.rest.annotation.TransactionParam;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Resource;
import org.vigil.sandbox.auth.Grant;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * {@code POST /fhir} with a transaction Bundle of creates (conditional with ifNoneExist or not) and updates
 * (conditional or by id): all entries are applied or none, urn:uuid references between entries are pointed at
 * the ids assigned, and the answer is a transaction-response Bundle in entry order.
 */
public final class TransactionProvider {

    private final FhirStore store;
    private final FhirTraffic traffic;
    private final Consumer<Observation> received;

    public TransactionProvider(FhirStore store, FhirTraffic traffic, Consumer<Observation> received) {
        this.store = store;
        this.traffic = traffic;
        this.received = received;
    }

    @Transaction
    public Bundle transaction(@TransactionParam Bundle bundle, RequestDetails request) {
        if (bundle.getType() != Bundle.BundleType.TRANSACTION) {
            throw new InvalidRequestException("The sandbox EHR takes transaction Bundles only, not " + bundle.getType());
        }
        Grant grant = RequestGrant.of(request);
        List<WriteRequest> writes = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            writes.add(toWrite(entry, writes.size(), grant));
        }
        for (WriteRequest write : writes) {
            if (write.resource() instanceof Observation) {
                received.accept((Observation) write.resource());
            }
        }
        List<WriteResult> results = store.write(writes, grant);
        traffic.transactionCommitted();
        Bundle response = new Bundle().setType(Bundle.BundleType.TRANSACTIONRESPONSE);
        for (WriteResult result : results) {
            Resource resource = result.resource();
            Bundle.BundleEntryResponseComponent answer = response.addEntry().getResponse()
                    .setStatus(result.outcome().statusLine)
                    .setLocation(resource.getIdElement().getValue())
                    .setEtag("W/\"" + resource.getMeta().getVersionId() + "\"");
            answer.setLastModified(resource.getMeta().getLastUpdated());
        }
        return response;
    }

    private WriteRequest toWrite(Bundle.BundleEntryComponent entry, int index, Grant grant) {
        Resource resource = entry.getResource();
        Bundle.BundleEntryRequestComponent request = entry.getRequest();
        String where = "Bundle.entry[" + index + "]";
        if (resource == null || request.getMethod() == null || request.getUrl() == null) {
            throw new InvalidRequestException(where + " needs a resource, request.method and request.url");
        }
        String type = resource.fhirType();
        if (!store.supports(type)) {
            throw new InvalidRequestException(where + ": the sandbox EHR does not store " + type + " resources");
        }
        String url = request.getUrl();
        String fullUrl = entry.hasFullUrl() ? entry.getFullUrl() : null;
        switch (request.getMethod()) {
            case POST:
                if (!url.equals(type)) {
                    throw new InvalidRequestException(where + ": POST url must be " + type + ", not " + url);
                }
                requireAny(grant, type, Grant.CREATE, Grant.CREATE);
                return new WriteRequest("POST", resource, request.hasIfNoneExist() ? request.getIfNoneExist() : null,
                        null, fullUrl);
            case PUT:
                requireAny(grant, type, Grant.CREATE, Grant.UPDATE);
                if (url.startsWith(type + "?")) {
                    return new WriteRequest("PUT", resource, url, null, fullUrl);
                }
                if (url.startsWith(type + "/") && url.indexOf('/', type.length() + 1) < 0) {
                    return new WriteRequest("PUT", resource, null, url.substring(type.length() + 1), fullUrl);
                }
                throw new InvalidRequestException(where + ": PUT url must be " + type + "/<id> or " + type
                        + "?identifier=..., not " + url);
            default:
                throw new InvalidRequestException(where + ": the sandbox EHR takes POST and PUT entries, not "
                        + request.getMethod());
        }
    }

    // the store checks the exact permission once it knows whether a PUT creates or updates
    private static void requireAny(Grant grant, String type, char one, char other) {
        if (!grant.permits(type, one) && !grant.permits(type, other)) {
            throw new ForbiddenOperationException("The token's scopes " + grant.scopes() + " do not allow writing "
                    + type);
        }
    }
}
