package org.vigil.sandbox.fhir;

import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.AuthenticationException;
import ca.uhn.fhir.rest.server.exceptions.ForbiddenOperationException;
import ca.uhn.fhir.rest.server.servlet.ServletRequestDetails;
import org.vigil.sandbox.auth.Grant;

/** The grant the bearer-token filter attached to a request, and the scope checks providers make with it. */
public final class RequestGrant {

    /** The servlet request attribute the filter sets. */
    public static final String ATTRIBUTE = "org.vigil.sandbox.grant";

    private RequestGrant() {
    }

    public static Grant of(RequestDetails request) {
        Object grant = request instanceof ServletRequestDetails
                ? ((ServletRequestDetails) request).getServletRequest().getAttribute(ATTRIBUTE) : null;
        if (!(grant instanceof Grant)) {
            throw new AuthenticationException("no access token");
        }
        return (Grant) grant;
    }

    public static Grant require(RequestDetails request, String resourceType, char operation) {
        Grant grant = of(request);
        if (!grant.permits(resourceType, operation)) {
            throw new ForbiddenOperationException("The token's scopes " + grant.scopes() + " do not allow '"
                    + operation + "' on " + resourceType);
        }
        return grant;
    }
}
