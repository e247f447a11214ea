package org.vigil.sandbox.http;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.vigil.sandbox.auth.AccessTokens;
import org.vigil.sandbox.auth.Grant;
import org.vigil.sandbox.fhir.RequestGrant;

import java.io.IOException;
import java.util.Set;
import java.util.function.BooleanSupplier;

/**
 * Demands a live bearer token on every FHIR request but the discovery documents, and hands its grant to the
 * resource providers, which check scopes (403) once they know the operation.
 */
public final class BearerTokenFilter extends HttpFilter {

    private static final Set<String> OPEN = Set.of("/fhir/metadata", "/fhir/.well-known/smart-configuration");

    private final AccessTokens tokens;
    private final BooleanSupplier required;
    private final JsonResponses json;

    public BearerTokenFilter(AccessTokens tokens, BooleanSupplier required, JsonResponses json) {
        this.tokens = tokens;
        this.required = required;
        this.json = json;
    }

    @Override
    protected void doFilter(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (OPEN.contains(path) || !required.getAsBoolean()) {
            request.setAttribute(RequestGrant.ATTRIBUTE, Grant.unrestricted());
            chain.doFilter(request, response);
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            refuse(response, "no bearer token");
            return;
        }
        Grant grant = tokens.find(header.substring(7).trim());
        if (grant == null) {
            refuse(response, "unknown or expired access token");
            return;
        }
        request.setAttribute(RequestGrant.ATTRIBUTE, grant);
        chain.doFilter(request, response);
    }

    private void refuse(HttpServletResponse response, String why) throws IOException {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"sandbox-ehr\", error=\"invalid_token\", error_description=\""
                + why + "\"");
        json.operationOutcome(response, 401, "login", why);
    }
}
