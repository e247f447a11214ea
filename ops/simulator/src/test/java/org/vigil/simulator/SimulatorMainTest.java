package org.vigil.simulator;

import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SimulatorMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return new SimulatorMain(Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8)).execute(args);
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void badCommandLinesExitWithTwoAndSayWhy() {
        assertEquals(2, run());
        assertEquals(2, run("bogus"));
        assertEquals(2, run("run", "--tenant", "demo", "--patients", "5", "--frobnicate", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--frobnicate"));
        assertEquals(2, run("run", "--patients", "5"));
        assertEquals(2, run("run", "--tenant", "Not A Slug", "--patients", "5"));
        assertEquals(2, run("run", "--tenant", "demo", "--patients", "many"));
        assertEquals(2, run("run", "--tenant", "demo", "--patients", "5", "--mode", "sideways"));
        assertEquals(2, run("seed", "--tenant", "demo"));
        assertEquals(2, run("token", "--tenant", "demo"));
        assertEquals(2, run("print", "--tenant", "demo", "--patients"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage:"));
    }

    @Test
    void printWritesOneLinePerMessage() {
        assertEquals(0, run("print", "--tenant", "demo", "--patients", "3", "--count", "25", "--faults", "0.1"));
        List<String> lines = out().lines().toList();
        assertEquals(25, lines.size());
        assertTrue(lines.get(0).startsWith("vigil.demo.ingest.canonical.BPC-demo-000000 "));
    }

    @Test
    void patientIdPrintsTheFirstPatientsUuid() {
        assertEquals(0, run("patient-id", "--tenant", "demo", "--index", "0"));
        assertEquals(Fleet.generate(new org.vigil.core.TenantId("demo"), 1, 42).patients().get(0).patientId().toString(),
                out().strip());
    }

    @Test
    void keygenThenTokenPrintsOnlyAVerifiableToken(@TempDir Path dir) throws Exception {
        assertEquals(0, run("keygen", "--dir", dir.toString()));
        out.reset();
        assertEquals(0, run("token", "--dir", dir.toString(), "--tenant", "demo", "--roles", "care-manager, admin", "--ttl", "2h"));
        String token = out().strip();
        assertEquals(1, out().lines().count());
        SignedJWT jwt = SignedJWT.parse(token);
        RSAKey pub = (RSAKey) JWKSet.load(dir.resolve("jwks.json").toFile()).getKeys().get(0);
        assertTrue(jwt.verify(new RSASSAVerifier(pub)));
        assertEquals(List.of("care-manager", "admin"), jwt.getJWTClaimsSet().getStringListClaim("roles"));
        assertEquals("care-manager", jwt.getJWTClaimsSet().getSubject());
        long ttl = jwt.getJWTClaimsSet().getExpirationTime().getTime() - jwt.getJWTClaimsSet().getIssueTime().getTime();
        assertEquals(Duration.ofHours(2).toMillis(), ttl);
    }

    @Test
    void runFailsClearlyWithoutNats() {
        assertEquals(1, run("run", "--tenant", "demo", "--patients", "2", "--nats", "nats://127.0.0.1:1", "--count", "1"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("cannot connect to NATS"), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void parsesDurations() {
        assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
        assertEquals(Duration.ofSeconds(60), Durations.parse("60s"));
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofHours(12), Durations.parse("12h"));
        assertEquals(Duration.ofDays(7), Durations.parse("7d"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("PT1H30M"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("soon"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5y"));
    }
}
