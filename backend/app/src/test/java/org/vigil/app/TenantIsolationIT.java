package org.vigil.app;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
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
import org.vigil.telemetry.ReadingPage;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenant B's principal tries every way to read tenant A's readings and dead letters through the API, and tokens
 * that are not the realm's, or not meant for the API, or no longer valid, get nowhere.
 */
@MicronautTest
class TenantIsolationIT extends BackendTestSupport {
    @Inject
    @Client("/")
    HttpClient http;

    private RealmTestKey realmKey;
    private Registry a;
    private Registry b;
    private UUID patientOfA;
    private final Instant t = Instant.now().minus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    void twoTenants() throws Exception {
        // Before the first request: the backend caches the realm's JWKS for a minute once it has fetched it.
        realmKey = RealmTestKey.install(users.admin());
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
        realmKey.close();
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

    /** What a care manager's token of the realm holds, valid for five more minutes. */
    private JWTClaimsSet.Builder claims(String tenant) {
        Instant now = Instant.now();
        return new JWTClaimsSet.Builder()
                .issuer(users.issuer())
                .audience("vigil-api")
                .subject(UUID.randomUUID().toString())
                .claim("preferred_username", "forger")
                .claim("tenant", tenant)
                .claim("roles", List.of("care-manager"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(5, ChronoUnit.MINUTES)));
    }

    private HttpStatus status(String token) {
        HttpRequest<?> request = HttpRequest.GET("/api/v1/dead-letters").bearerAuth(token);
        try {
            return http.toBlocking().exchange(request).getStatus();
        } catch (HttpClientResponseException e) {
            return e.getStatus();
        }
    }

    @Test
    void requestsWithoutAValidTokenAreRejected() throws Exception {
        HttpRequest<?> anonymous = HttpRequest.GET("/api/v1/dead-letters");
        assertEquals(HttpStatus.UNAUTHORIZED, assertThrows(HttpClientResponseException.class,
                () -> http.toBlocking().exchange(anonymous)).getStatus());

        // Every claim right, signed by a key the realm does not know.
        RSAKey stranger = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        SignedJWT forged = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(stranger.getKeyID()).build(),
                claims(a.tenant()).build());
        forged.sign(new RSASSASigner(stranger));
        assertEquals(HttpStatus.UNAUTHORIZED, status(forged.serialize()));

        String[] parts = token(b.tenant()).split("\\.");
        String tampered = parts[0] + "." + parts[1].substring(0, parts[1].length() - 2) + "AA." + parts[2];
        assertEquals(HttpStatus.UNAUTHORIZED, status(tampered));
    }

    @Test
    void theRealmsSignatureIsNotEnoughWithoutItsIssuerTheApisAudienceAndTime() throws Exception {
        assertEquals(HttpStatus.OK, status(realmKey.sign(claims(a.tenant()).build())),
                "the control: the test's key is in the realm's JWKS, and these claims are what the API needs");
        String otherRealm = users.issuer().replace("/realms/vigil", "/realms/master");
        assertEquals(HttpStatus.UNAUTHORIZED, status(realmKey.sign(claims(a.tenant()).issuer(otherRealm).build())), "issuer");
        assertEquals(HttpStatus.UNAUTHORIZED, status(realmKey.sign(claims(a.tenant()).audience("account").build())), "audience");
        assertEquals(HttpStatus.UNAUTHORIZED, status(realmKey.sign(claims(a.tenant()).audience(List.of()).build())), "no audience");
        Instant past = Instant.now().minus(15, ChronoUnit.MINUTES);
        assertEquals(HttpStatus.UNAUTHORIZED, status(realmKey.sign(claims(a.tenant()).issueTime(Date.from(past))
                .expirationTime(Date.from(past.plus(5, ChronoUnit.MINUTES))).build())), "expired");
    }

    @Test
    void tokenWithoutTenantIsForbidden() {
        // A real user of the realm without the tenant attribute: authenticated, but no tenant to act in.
        assertEquals(HttpStatus.FORBIDDEN, status(token(null, "care-manager")));
    }
}
