package org.vigil.sandbox.fhir;

import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;

/** Small pieces the resource providers share. */
final class Outcomes {

    private Outcomes() {
    }

    /** HAPI answers 201 for created, 200 otherwise, with the resource and a versioned Location. */
    static MethodOutcome of(WriteResult result) {
        Resource resource = result.resource();
        MethodOutcome outcome = new MethodOutcome(resource.getIdElement(), result.created());
        outcome.setResource(resource);
        return outcome;
    }

    static IdentifierQuery identifier(TokenParam token) {
        if (token == null) {
            return null;
        }
        String system = token.getSystem();
        String value = token.getValue();
        return new IdentifierQuery(system, value == null || value.isEmpty() ? null : value);
    }

    /** Whether {@code reference} points at the patient a subject/patient search parameter names. */
    static boolean refersTo(Reference reference, ReferenceParam param) {
        if (param.getResourceType() != null && !"Patient".equals(param.getResourceType())) {
            return false;
        }
        String id = param.getIdPart();
        return reference.hasReference() && id != null && id.equals(reference.getReferenceElement().getIdPart())
                && (!reference.getReferenceElement().hasResourceType()
                || "Patient".equals(reference.getReferenceElement().getResourceType()));
    }

    static void checkType(Resource resource, String type) {
        if (!type.equals(resource.fhirType())) {
            throw new InvalidRequestException("Expected a " + type + ", got a " + resource.fhirType());
        }
    }
}
