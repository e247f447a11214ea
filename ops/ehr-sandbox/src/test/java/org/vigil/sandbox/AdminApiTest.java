package org.vigil.sandbox;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The admin API another process (a benchmark, the demo script) uses to set the sandbox up and read it. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AdminApiTest {

    private EhrSandbox sandbox;
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();
    private URI admin;

    @BeforeAll
    void start() {
        sandbox = EhrSandbox.start(SandboxOptions.defaults().withValidate(false));
        admin = URI.create("http://127.0.0.1:" + sandbox.fhirPort() + "/admin/");
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    private HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(admin.resolve(path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(admin.resolve(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aBenchmarkCanRegisterItsClientAddPatientsInjectFaultsAndReadCounters() throws Exception {
        HttpResponse<String> patient = post("patients",
                "{\"system\":\"urn:mrn\",\"value\":\"A-1\",\"family\":\"Admin\",\"given\":\"Ada\"}");
        assertEquals(201, patient.statusCode(), patient.body());
        String id = json.readTree(patient.body()).get("id").asText();

        try (SmartClient client = new SmartClient("bench")) {
            JWK key = client.addEcKey("bench-1");
            assertEquals(201, post("clients", "{\"clientId\":\"bench\",\"jwksUrl\":\"" + client.jwksUrl()
                    + "\",\"scopes\":[\"system/Patient.rs\"]}").statusCode());
            String token = client.token(key, sandbox.tokenUrl(), "system/Patient.rs");
            FhirHttp fhir = new FhirHttp(FhirContext.forR4Cached(), sandbox.fhirBaseUrl());
            Bundle found = fhir.parse(Bundle.class, fhir.get("/Patient?identifier=urn:mrn|A-1", token));
            assertEquals(id, found.getEntryFirstRep().getResource().getIdElement().getIdPart());

            assertEquals(200, post("faults", "{\"fhirStatus\":503,\"mllpMode\":\"AE\"}").statusCode());
            assertEquals(503, fhir.get("/Patient?identifier=urn:mrn|A-1", token).statusCode());
            assertEquals(200, post("reset", "").statusCode());
            assertEquals(200, fhir.get("/Patient?identifier=urn:mrn|A-1", token).statusCode());
        }

        JsonNode stats = json.readTree(get("stats").body());
        assertEquals(1, stats.get("fhirRequests").asInt(), "reset zeroed the counters before the last request");
        assertEquals(0, stats.get("tokensIssued").asInt());
        assertTrue(stats.has("mllpAA") && stats.has("validationErrors"));
    }

    @Test
    void badAdminRequestsAre400Or404() throws Exception {
        assertEquals(400, post("patients", "{\"system\":\"urn:mrn\"}").statusCode());
        assertEquals(400, post("patients", "not json").statusCode());
        assertEquals(404, get("nothing").statusCode());
        assertEquals(404, get("mllp-certificate").statusCode());
    }

    @Test
    void mainsClientAndPatientFileArgumentsRegisterAndLoad(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("patients.csv");
        Files.writeString(csv, "system,value,family,given\n# a comment\nurn:mrn,CSV-1,Roe,Rick\nurn:mrn,CSV-2,Poe,Pat\n");
        SandboxMain.loadPatients(sandbox, csv);
        String token = sandbox.issueToken(Set.of("system/Patient.rs"));
        FhirHttp fhir = new FhirHttp(FhirContext.forR4Cached(), sandbox.fhirBaseUrl());
        assertEquals(1, fhir.parse(Bundle.class, fhir.get("/Patient?identifier=urn:mrn|CSV-2", token)).getTotal());

        try (SmartClient client = new SmartClient("cli")) {
            JWK key = client.addRsaKey("cli-1");
            SandboxMain.registerClient(sandbox, "cli=" + client.jwksUrl() + ",system/Patient.rs system/Observation.c");
            assertEquals(200, client.requestToken(sandbox.tokenUrl(), client.assertion(key, sandbox.tokenUrl()),
                    "system/Observation.c").status());
            assertEquals("invalid_scope", client.requestToken(sandbox.tokenUrl(), client.assertion(key, sandbox.tokenUrl()),
                    "system/Device.cu").error());
        }
    }
}
