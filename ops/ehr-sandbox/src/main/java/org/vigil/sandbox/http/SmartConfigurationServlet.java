package org.vigil.sandbox.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code GET /fhir/.well-known/smart-configuration}: where a backend client discovers the token endpoint. */
public final class SmartConfigurationServlet extends HttpServlet {

    private final Map<String, Object> configuration;
    private final JsonResponses json;

    public SmartConfigurationServlet(String issuer, String tokenUrl, JsonResponses json) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("issuer", issuer);
        document.put("token_endpoint", tokenUrl);
        document.put("token_endpoint_auth_methods_supported", List.of("private_key_jwt"));
        document.put("token_endpoint_auth_signing_alg_values_supported", List.of("RS384", "ES384"));
        document.put("grant_types_supported", List.of("client_credentials"));
        document.put("scopes_supported", List.of("system/*.read", "system/*.write", "system/*.rs", "system/*.cud",
                "system/Patient.read", "system/Patient.rs", "system/Observation.write", "system/Observation.c",
                "system/Observation.rs", "system/DiagnosticReport.write", "system/DiagnosticReport.c",
                "system/Device.write", "system/Device.cu", "system/Device.rs"));
        document.put("capabilities", List.of("client-confidential-asymmetric", "permission-v1", "permission-v2"));
        this.configuration = java.util.Collections.unmodifiableMap(document);
        this.json = json;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        json.write(response, 200, new LinkedHashMap<>(configuration));
    }
}
