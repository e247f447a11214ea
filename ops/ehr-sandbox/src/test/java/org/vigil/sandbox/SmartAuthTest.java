package org.vigil.sandbox;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.nimbusds.jose.jwk.JWK;
import org.hl7.fhir.r4.model.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** SMART Backend Services as a connector meets it: discovery, signed assertions, tokens, and every refusal. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SmartAuthTest {

    private static final String WRITE_SCOPES = "system/Observation.c system/Patient.rs";

    private EhrSandbox sandbox;
    private SmartClient rsaClient;
    private SmartClient ecClient;
    private JWK rsaKey;
    private JWK ecKey;
    private FhirHttp fhir;

    @BeforeAll
    void start() throws Exception {
        sandbox = EhrSandbox.start(SandboxOptions.defaults().withValidate(false)
                .withJwksRefetchInterval(Duration.ofSeconds(1)).withCheckReferences(false));
        rsaClient = new SmartClient("vigil-rsa");
        rsaKey = rsaClient.addRsaKey("rsa-1");
        ecClient = new SmartClient("vigil-ec");
        ecKey = ecClient.addEcKey("ec-1");
        sandbox.registerClient(rsaClient.clientId, rsaClient.jwksUrl(),
                Set.of("system/Observation.c", "system/Patient.rs", "system/Device.cu"));
        sandbox.registerClient(ecClient.clientId, ecClient.jwksUrl(), Set.of("system/*.read", "system/*.write"), "ES384");
        fhir = new FhirHttp(FhirContext.forR4Cached(), sandbox.fhirBaseUrl());
    }

    @AfterAll
    void stop() {
        sandbox.close();
        rsaClient.close();
        ecClient.close();
    }

    @Test
    void smartConfigurationNamesTheTokenEndpointWithoutAToken() throws Exception {
        HttpResponse<String> response = fhir.get("/.well-known/smart-configuration", null);
        assertEquals(200, response.statusCode());
        JsonNode config = new ObjectMapper().readTree(response.body());
        assertEquals(sandbox.tokenUrl().toString(), config.get("token_endpoint").asText());
        assertEquals("private_key_jwt", config.get("token_endpoint_auth_methods_supported").get(0).asText());
        assertEquals("[\"RS384\",\"ES384\"]", config.get("token_endpoint_auth_signing_alg_values_supported").toString());
        assertEquals("client_credentials", config.get("grant_types_supported").get(0).asText());
        assertTrue(fhir.get("/metadata", null).body().contains(sandbox.tokenUrl().toString()),
                "the CapabilityStatement names the token endpoint too");
    }

    @Test
    void rs384AndEs384AssertionsGetTokensThatOpenTheFhirApi() throws Exception {
        SmartClient.TokenAnswer answer = rsaClient.requestToken(sandbox.tokenUrl(),
                rsaClient.assertion(rsaKey, sandbox.tokenUrl()), WRITE_SCOPES);
        assertEquals(200, answer.status(), answer.toString());
        assertEquals("bearer", answer.body().get("token_type").asText());
        assertEquals(300, answer.body().get("expires_in").asInt());
        assertEquals(WRITE_SCOPES, answer.body().get("scope").asText());
        String token = answer.body().get("access_token").asText();
        assertEquals(200, fhir.get("/Patient?identifier=urn:mrn|none", token).statusCode());

        String ecToken = ecClient.token(ecKey, sandbox.tokenUrl(), "system/*.read");
        assertEquals(200, fhir.get("/Patient?identifier=urn:mrn|none", ecToken).statusCode());
        assertTrue(sandbox.assertionKids().containsAll(Set.of("rsa-1", "ec-1")));
    }

    @Test
    void aConnectorsConversationConditionalCreatesTwiceAndPostsATransaction() throws Exception {
        String token = ecClient.token(ecKey, sandbox.tokenUrl(), "system/*.write system/*.read");
        Observation reading = new Observation();
        reading.addIdentifier().setSystem("urn:vigil:reading").setValue("smart-e2e");
        reading.setStatus(Observation.ObservationStatus.FINAL).getCode().addCoding().setSystem("http://loinc.org").setCode("8867-4");
        Map<String, String> once = Map.of("If-None-Exist", "identifier=urn:vigil:reading|smart-e2e");
        assertEquals(201, fhir.post("/Observation", token, reading, once).statusCode());
        assertEquals(200, fhir.post("/Observation", token, reading, once).statusCode());
        assertEquals(1, sandbox.observationCreatesByIdentifier().get("smart-e2e"));

        org.hl7.fhir.r4.model.Bundle bundle = new org.hl7.fhir.r4.model.Bundle()
                .setType(org.hl7.fhir.r4.model.Bundle.BundleType.TRANSACTION);
        Observation other = reading.copy();
        other.getIdentifierFirstRep().setValue("smart-e2e-2");
        bundle.addEntry().setResource(other).getRequest().setMethod(org.hl7.fhir.r4.model.Bundle.HTTPVerb.POST)
                .setUrl("Observation").setIfNoneExist("identifier=urn:vigil:reading|smart-e2e-2");
        HttpResponse<String> response = fhir.post("", token, bundle, Map.of());
        assertEquals(200, response.statusCode(), response.body());
        assertTrue(response.body().contains("201 Created"));

        String patientsOnly = rsaClient.token(rsaKey, sandbox.tokenUrl(), "system/Patient.rs");
        assertEquals(403, fhir.post("", patientsOnly, bundle, Map.of()).statusCode(), "a transaction checks each entry's scope");
    }

    @Test
    void fhirRequestsWithoutAValidTokenAre401WithABearerChallenge() throws Exception {
        for (String token : new String[]{null, "not-a-token"}) {
            HttpResponse<String> response = fhir.get("/Patient?identifier=urn:mrn|1", token);
            assertEquals(401, response.statusCode());
            String challenge = response.headers().firstValue("WWW-Authenticate").orElse("");
            assertTrue(challenge.startsWith("Bearer ") && challenge.contains("error=\"invalid_token\""), challenge);
        }
    }

    @Test
    void tokensExpire() throws Exception {
        try (EhrSandbox shortLived = EhrSandbox.start(SandboxOptions.defaults().withValidate(false)
                .withTokenLifetime(Duration.ofSeconds(1)))) {
            FhirHttp client = new FhirHttp(fhir.fhir, shortLived.fhirBaseUrl());
            client.get("/metadata", null);
            String token = shortLived.issueToken(Set.of("system/*.read"));
            assertEquals(200, client.get("/Patient", token).statusCode());
            Thread.sleep(1100);
            assertEquals(401, client.get("/Patient", token).statusCode());
        }
    }

    @Test
    void scopesAreEnforcedPerResourceTypeAndOperation() throws Exception {
        String readOnly = ecClient.token(ecKey, sandbox.tokenUrl(), "system/*.read");
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL).getCode().setText("x");
        assertEquals(403, fhir.post("/Observation", readOnly, observation, Map.of()).statusCode());

        String createOnly = rsaClient.token(rsaKey, sandbox.tokenUrl(), "system/Observation.c");
        assertEquals(201, fhir.post("/Observation", createOnly, observation, Map.of()).statusCode());
        assertEquals(403, fhir.get("/Patient?identifier=urn:mrn|1", createOnly).statusCode(), "search needs Patient.rs");
        assertEquals(403, fhir.get("/Observation", createOnly).statusCode(), "search needs Observation.s");
    }

    @Test
    void aReusedJtiIsRefused() throws Exception {
        String assertion = rsaClient.assertion(rsaKey, sandbox.tokenUrl());
        assertEquals(200, rsaClient.requestToken(sandbox.tokenUrl(), assertion, WRITE_SCOPES).status());
        SmartClient.TokenAnswer replay = rsaClient.requestToken(sandbox.tokenUrl(), assertion, WRITE_SCOPES);
        assertEquals(401, replay.status());
        assertEquals("invalid_client", replay.error());
        assertTrue(replay.body().get("error_description").asText().contains("jti"), replay.toString());
    }

    @Test
    void aWrongAudienceIsRefused() throws Exception {
        String wrongAud = rsaClient.assertion(rsaKey, rsaClient.claims(sandbox.fhirBaseUrl().toString(),
                Instant.now().plusSeconds(60), UUID.randomUUID().toString()));
        SmartClient.TokenAnswer answer = rsaClient.requestToken(sandbox.tokenUrl(), wrongAud, WRITE_SCOPES);
        assertEquals("invalid_client", answer.error());
        assertTrue(answer.body().get("error_description").asText().contains("aud"));
    }

    @Test
    void expiredOrTooLongLivedAssertionsAreRefused() throws Exception {
        String expired = rsaClient.assertion(rsaKey, rsaClient.claims(sandbox.tokenUrl().toString(),
                Instant.now().minusSeconds(5), UUID.randomUUID().toString()));
        assertEquals("invalid_client", rsaClient.requestToken(sandbox.tokenUrl(), expired, WRITE_SCOPES).error());
        String tooLong = rsaClient.assertion(rsaKey, rsaClient.claims(sandbox.tokenUrl().toString(),
                Instant.now().plusSeconds(600), UUID.randomUUID().toString()));
        SmartClient.TokenAnswer answer = rsaClient.requestToken(sandbox.tokenUrl(), tooLong, WRITE_SCOPES);
        assertEquals("invalid_client", answer.error());
        assertTrue(answer.body().get("error_description").asText().contains("5 minutes"), answer.toString());
    }

    @Test
    void aScopeBeyondTheClientsIsRefused() throws Exception {
        SmartClient.TokenAnswer answer = rsaClient.requestToken(sandbox.tokenUrl(),
                rsaClient.assertion(rsaKey, sandbox.tokenUrl()), "system/Observation.c system/Patient.write");
        assertEquals(400, answer.status());
        assertEquals("invalid_scope", answer.error());
    }

    @Test
    void aClientPinnedToEs384CannotUseAnRsaKeyAndUnknownClientsAreRefused() throws Exception {
        JWK rsaOfEc = ecClient.addRsaKey("ec-client-rsa");
        SmartClient.TokenAnswer answer = ecClient.requestToken(sandbox.tokenUrl(),
                ecClient.assertion(rsaOfEc, sandbox.tokenUrl()), "system/*.read");
        assertEquals("invalid_client", answer.error());
        assertTrue(answer.body().get("error_description").asText().contains("ES384"), answer.toString());

        try (SmartClient stranger = new SmartClient("stranger")) {
            JWK key = stranger.addRsaKey("s-1");
            assertEquals("invalid_client", stranger.requestToken(sandbox.tokenUrl(),
                    stranger.assertion(key, sandbox.tokenUrl()), "system/*.read").error());
        }
        assertFalse(sandbox.tokenErrors().isEmpty());
    }

    @Test
    void aRotatedKeyIsFoundByFetchingTheJwksAgainAtMostOncePerInterval() throws Exception {
        try (SmartClient rotating = new SmartClient("rotating")) {
            JWK first = rotating.addRsaKey("k1");
            sandbox.registerClient(rotating.clientId, rotating.jwksUrl(), Set.of("system/*.read"));
            rotating.token(first, sandbox.tokenUrl(), "system/*.read");
            int fetches = rotating.jwksFetches();

            JWK second = rotating.addEcKey("k2");
            // fetched a moment ago: the sandbox does not fetch again for an unknown kid yet
            SmartClient.TokenAnswer early = rotating.requestToken(sandbox.tokenUrl(),
                    rotating.assertion(second, sandbox.tokenUrl()), "system/*.read");
            assertEquals("invalid_client", early.error(), early.toString());
            assertEquals(fetches, rotating.jwksFetches());

            Thread.sleep(1100);
            assertNotNull(rotating.token(second, sandbox.tokenUrl(), "system/*.read"));
            assertEquals(fetches + 1, rotating.jwksFetches());
            assertTrue(sandbox.assertionKids().contains("k2"));
        }
    }

    @Test
    void inlineJwksClientsNeedNoJwksServer() throws Exception {
        try (SmartClient inline = new SmartClient("inline")) {
            JWK key = inline.addEcKey("inline-1");
            sandbox.registerClient(inline.clientId, new com.nimbusds.jose.jwk.JWKSet(key).toPublicJWKSet().toString(),
                    Set.of("*"));
            assertNotNull(inline.token(key, sandbox.tokenUrl(), "system/Observation.cu"));
            assertEquals(0, inline.jwksFetches());
        }
    }
}
