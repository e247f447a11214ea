package org.vigil.ehr.internal;

import ca.uhn.fhir.context.FhirContext;
import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.auth.AccessTokens;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;

/** Makes the transport an endpoint's kind asks for. The FHIR context is expensive to build: one per process. */
@Singleton
class TransportFactory {
    private final AccessTokens tokens;
    private final ObjectMapper json;
    private final Clock clock;
    private final FhirContext fhir = FhirContext.forR4Cached();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();

    TransportFactory(AccessTokens tokens, ObjectMapper json, Clock clock) {
        this.tokens = tokens;
        this.json = json;
        this.clock = clock;
    }

    Transport create(EhrEndpoint e) {
        return e.kind() == EhrEndpoint.Kind.FHIR ? new FhirTransport(e, tokens, fhir, json, http) : new MllpTransport(e, json, clock);
    }
}
