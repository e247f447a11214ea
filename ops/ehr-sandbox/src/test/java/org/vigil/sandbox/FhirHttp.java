package org.vigil.sandbox;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.instance.model.api.IBaseResource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** Plain HTTP to the sandbox's FHIR endpoint, so tests see statuses and headers as a connector would. */
final class FhirHttp {

    final FhirContext fhir;
    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    FhirHttp(FhirContext fhir, URI base) {
        this.fhir = fhir;
        this.base = base;
    }

    HttpResponse<String> get(String path, String token) throws IOException, InterruptedException {
        return send(request(path, token).GET().build());
    }

    HttpResponse<String> post(String path, String token, IBaseResource resource, Map<String, String> headers)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = request(path, token).header("Content-Type", "application/fhir+json")
                .POST(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(resource)));
        headers.forEach(request::header);
        return send(request.build());
    }

    HttpResponse<String> put(String path, String token, IBaseResource resource) throws IOException, InterruptedException {
        return send(request(path, token).header("Content-Type", "application/fhir+json")
                .PUT(HttpRequest.BodyPublishers.ofString(fhir.newJsonParser().encodeResourceToString(resource))).build());
    }

    <T extends IBaseResource> T parse(Class<T> type, HttpResponse<String> response) {
        return fhir.newJsonParser().parseResource(type, response.body());
    }

    private HttpRequest.Builder request(String path, String token) {
        // a connector percent-encodes the token separator; java.net.URI refuses it raw
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path.replace("|", "%7C"))).timeout(Duration.ofSeconds(20))
                .header("Accept", "application/fhir+json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return request;
    }

    private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }
}
