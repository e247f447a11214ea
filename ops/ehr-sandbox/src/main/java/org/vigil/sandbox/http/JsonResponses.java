package org.vigil.sandbox.http;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** Writes the sandbox's own (non-HAPI) JSON answers. */
public final class JsonResponses {

    private final ObjectMapper json = new ObjectMapper();

    public ObjectMapper mapper() {
        return json;
    }

    public void write(HttpServletResponse response, int status, Object body) throws IOException {
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), body);
    }

    /** A FHIR error answered outside HAPI (by a filter), shaped as HAPI would. */
    public void operationOutcome(HttpServletResponse response, int status, String code, String diagnostics)
            throws IOException {
        response.setStatus(status);
        response.setContentType("application/fhir+json");
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), Map.of("resourceType", "OperationOutcome",
                "issue", List.of(Map.of("severity", "error", "code", code, "diagnostics", diagnostics))));
    }
}
