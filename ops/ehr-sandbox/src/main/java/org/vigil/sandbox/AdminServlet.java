package org.vigil.sandbox;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.vigil.sandbox.http.JsonResponses;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code /admin}: lets another process (a benchmark, the demo script) set the sandbox up and read its counters.
 * No authentication: the sandbox is a loopback test tool.
 */
final class AdminServlet extends HttpServlet {

    private final EhrSandbox sandbox;
    private final JsonResponses json;

    AdminServlet(EhrSandbox sandbox, JsonResponses json) {
        this.sandbox = sandbox;
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        switch (path(request)) {
            case "/stats":
                json.write(response, 200, sandbox.stats());
                break;
            case "/validation-errors":
                json.write(response, 200, sandbox.validationErrorsSoFar());
                break;
            case "/token-errors":
                json.write(response, 200, sandbox.tokenErrors());
                break;
            case "/mllp-certificate":
                String pem = sandbox.mllpCertificatePem();
                if (pem == null) {
                    json.write(response, 404, Map.of("error", "MLLP runs without TLS"));
                } else {
                    response.setContentType("application/x-pem-file");
                    response.getWriter().write(pem);
                }
                break;
            default:
                json.write(response, 404, Map.of("error", "no such admin resource"));
        }
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        JsonNode body;
        try {
            body = json.mapper().readTree(request.getInputStream());
        } catch (JsonProcessingException e) {
            json.write(response, 400, Map.of("error", "body is not JSON: " + e.getOriginalMessage()));
            return;
        }
        if (body == null || body.isMissingNode()) {
            body = json.mapper().createObjectNode();
        }
        try {
            switch (path(request)) {
                case "/clients":
                    registerClient(body);
                    json.write(response, 201, Map.of("clientId", body.path("clientId").asText()));
                    break;
                case "/patients":
                    String id = sandbox.addPatient(required(body, "system"), required(body, "value"),
                            body.path("family").asText(""), body.path("given").asText(""));
                    json.write(response, 201, Map.of("id", id));
                    break;
                case "/faults":
                    applyFaults(body);
                    json.write(response, 200, sandbox.stats());
                    break;
                case "/reset":
                    sandbox.reset();
                    json.write(response, 200, sandbox.stats());
                    break;
                default:
                    json.write(response, 404, Map.of("error", "no such admin resource"));
            }
        } catch (IllegalArgumentException e) {
            json.write(response, 400, Map.of("error", String.valueOf(e.getMessage())));
        }
    }

    private void registerClient(JsonNode body) {
        String clientId = required(body, "clientId");
        Set<String> scopes = new LinkedHashSet<>();
        body.path("scopes").forEach(scope -> scopes.add(scope.asText()));
        if (scopes.isEmpty()) {
            scopes.add("*");
        }
        String algorithm = body.hasNonNull("algorithm") ? body.get("algorithm").asText() : null;
        if (body.hasNonNull("jwks")) {
            sandbox.registerClient(clientId, body.get("jwks").toString(), scopes);
        } else {
            sandbox.registerClient(clientId, URI.create(required(body, "jwksUrl")), scopes, algorithm);
        }
    }

    private void applyFaults(JsonNode body) {
        if (body.has("fhirStatus")) {
            sandbox.fhirStatus(body.get("fhirStatus").asInt());
        }
        if (body.has("fhirDelayMs")) {
            sandbox.fhirDelay(Duration.ofMillis(body.get("fhirDelayMs").asLong()));
        }
        if (body.has("requireAuth")) {
            sandbox.requireAuth(body.get("requireAuth").asBoolean());
        }
        if (body.has("mllpMode")) {
            sandbox.mllpMode(Mode.valueOf(body.get("mllpMode").asText()));
        }
        if (body.has("mllpDelayMs")) {
            sandbox.mllpDelay(Duration.ofMillis(body.get("mllpDelayMs").asLong()));
        }
        if (body.has("mllpSilent")) {
            sandbox.mllpSilent(body.get("mllpSilent").asBoolean());
        }
        if (body.has("mllpDown")) {
            sandbox.mllpDown(body.get("mllpDown").asBoolean());
        }
    }

    private static String required(JsonNode body, String field) {
        if (!body.hasNonNull(field) || body.get(field).asText().isBlank()) {
            throw new IllegalArgumentException(field + " is required");
        }
        return body.get(field).asText();
    }

    private static String path(HttpServletRequest request) {
        return request.getPathInfo() == null ? "" : request.getPathInfo();
    }
}
