package org.vigil.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.app.api.DeadLettersController.DeadLetterPage;
import org.vigil.simulator.DevTokens;
import org.vigil.telemetry.ReadingPage;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenant B's principal tries every way to read tenant A's readings and dead letters through the API. */
@MicronautTest
class TenantIsolationIT extends BackendTestSupport {
    @Inject
    @Client("/")
    HttpClient http;

    private Registry a;
    private Registry b;
    private UUID patientOfA;
    private final Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    void twoTenants() throws Exception {
        a = Registry.newTenant("iso-a");
        b = Registry.newTenant("iso-b");
        patientOfA = a.patient("Ada of A");
        UUID scale = a.device("scale", "SHARED-SERIAL");
        a.assign(scale, patientOfA, null, null);
        // B registers a device with the same serial: identifiers are per tenant, B's has no patient.
        b.device("scale", "SHARED-SERIAL");
        try (Devices devA = new Devices(a.tenant()); Devices devB = new Devices(b.tenant())) {
            devA.weight("SHARED-SERIAL", 77.7, t);
            devA.publish("SHARED-SERIAL", "not json from A", null);
            devB.weight("SHARED-SERIAL", 66.6, t);
        }
        Eventually.await(Duration.ofSeconds(20), () -> readings(a.tenant(), patientOfA).items().size(), n -> n == 1, "A's reading");
        Eventually.await(Duration.ofSeconds(20), () -> deadLetters(b.tenant()).items().size(), n -> n == 1, "B's dead letter");
    }

    @AfterAll
    void close() throws Exception {
        a.close();
        b.close();
    }

    private ReadingPage readings(String tenant, UUID patient) {
        return http.toBlocking().retrieve(get("/api/v1/patients/" + patient + "/readings?from=" + t.minusSeconds(60), tenant), ReadingPage.class);
    }

    private DeadLetterPage deadLetters(String tenant) {
        return http.toBlocking().retrieve(get("/api/v1/dead-letters", tenant), DeadLetterPage.class);
    }

    @Test
    void anotherTenantsPatientIsNotFound() {
        HttpClientResponseException e = assertThrows(HttpClientResponseException.class, () -> readings(b.tenant(), patientOfA));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
        e = assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().retrieve(get("/api/v1/patients/" + patientOfA + "/latest", b.tenant()), String.class));
        assertEquals(HttpStatus.NOT_FOUND, e.getStatus());
    }

    @Test
    void deviceWithTheSameSerialInAnotherTenantDoesNotReceiveItsReadings() {
        assertEquals(77.7, readings(a.tenant(), patientOfA).items().get(0).value());
        List<String> bCodes = deadLetters(b.tenant()).items().stream().map(d -> d.errorCode()).toList();
        assertEquals(List.of("UNASSIGNED_DEVICE"), bCodes, "B's reading went to B's dead letters, not to A's patient");
    }

    @Test
    void deadLettersAreListedForTheirOwnTenantOnly() {
        assertTrue(deadLetters(a.tenant()).items().stream().allMatch(d -> d.subject().startsWith("vigil." + a.tenant() + ".")));
        assertTrue(deadLetters(b.tenant()).items().stream().allMatch(d -> d.subject().startsWith("vigil." + b.tenant() + ".")));
        assertTrue(deadLetters(b.tenant()).items().stream().noneMatch(d -> "not json from A".equals(d.payload())));
    }

    @Test
    void requestsWithoutAValidTokenAreRejected() throws Exception {
        HttpRequest<?> anonymous = HttpRequest.GET("/api/v1/dead-letters");
        assertEquals(HttpStatus.UNAUTHORIZED, assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(anonymous)).getStatus());

        DevTokens stranger = DevTokens.generate(Files.createTempDirectory("stranger-key"));
        String forged = stranger.mint(a.tenant(), "mallory", Duration.ofMinutes(5), List.of("care-manager"));
        assertEquals(HttpStatus.UNAUTHORIZED, assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/dead-letters").bearerAuth(forged))).getStatus());

        String[] parts = token(b.tenant()).split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertEquals(HttpStatus.UNAUTHORIZED, assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/dead-letters").bearerAuth(tampered))).getStatus());
    }

    @Test
    void tokenWithoutTenantIsForbidden() {
        String noTenant = tokens.mint(null, "someone", Duration.ofMinutes(5), List.of("care-manager"));
        assertEquals(HttpStatus.FORBIDDEN, assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(HttpRequest.GET("/api/v1/dead-letters").bearerAuth(noTenant))).getStatus());
    }
}
