package org.vigil.sandbox.fhir;

import org.hl7.fhir.r4.model.Resource;

/**
 * One create or update, alone or as a transaction entry.
 *
 * @param method    "POST" or "PUT"
 * @param condition POST: the If-None-Exist search; PUT: the conditional URL's search (null: none)
 * @param id        PUT by id: the logical id (null otherwise)
 * @param fullUrl   a transaction entry's fullUrl, which other entries may reference (null: none)
 */
public record WriteRequest(String method, Resource resource, String condition, String id, String fullUrl) {

    public static WriteRequest create(Resource resource, String ifNoneExist) {
        return new WriteRequest("POST", resource, ifNoneExist, null, null);
    }

    public static WriteRequest update(Resource resource, String conditionalUrl, String id) {
        return new WriteRequest("PUT", resource, conditionalUrl, id, null);
    }

    public String type() {
        return resource.fhirType();
    }
}
