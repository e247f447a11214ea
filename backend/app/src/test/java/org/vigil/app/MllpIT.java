package org.vigil.app;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.SocketFactory;
import ca.uhn.hl7v2.validation.builder.support.NoValidationBuilder;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.app.api.DeadLettersController.DeadLetterPage;
import org.vigil.app.api.DeadLettersController.DeadLetterView;
import org.vigil.edge.mllp.MllpListeners;
import org.vigil.telemetry.ReadingPage;
import org.vigil.telemetry.StoredReading;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * HL7 v2 ORU^R01 (IHE PCD-01) over MLLP against the real stack, with HAPI's MLLP client as the gateway: AA only
 * once the message is on the stream (the reading then shows up in the API), AE with the error's location for an
 * invalid message, AR for an ACK, a retransmission acknowledged again and stored once, and the same over mutual TLS.
 */
@MicronautTest
class MllpIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "changeit";
    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.UTC);
    /** The IHE PCD TF J.2 blood pressure example: MDS OBX-18 names the cuff 0123456789ABCDEF, the gateway ACDE48234567ABCD. */
    private static final String BP_EXAMPLE = "pcd01/ipf-valid-pcd01-request_IHE-PCD-TF-J2_BP.hl7";

    @Inject
    @Client("/")
    HttpClient http;

    @Inject
    MllpListeners listeners;

    // Created before the application context: the listeners' tenant is part of its configuration.
    private final Registry registry;
    private final Path tlsDir;
    private final List<AutoCloseable> open = new ArrayList<>();
    private UUID patient;
    private final Instant base = Instant.now().minus(3, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    MllpIT() throws Exception {
        registry = Registry.newTenant("mllp");
        tlsDir = Files.createTempDirectory("vigil-mllp-tls");
        keyPair("server", "CN=localhost", "SAN=ip:127.0.0.1,dns:localhost");
        keyPair("client", "CN=gateway-ACDE48234567ABCD", null);
        trust("server", "client-trust.p12");
        trust("client", "server-trust.p12");
    }

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("vigil.mllp.listeners.it-plain.tenant", registry.tenant());
        p.put("vigil.mllp.listeners.it-plain.port", "0");
        p.put("vigil.mllp.listeners.it-tls.tenant", registry.tenant());
        p.put("vigil.mllp.listeners.it-tls.port", "0");
        p.put("vigil.mllp.listeners.it-tls.keystore", tlsDir.resolve("server.p12").toString());
        p.put("vigil.mllp.listeners.it-tls.keystore-password", PASSWORD);
        p.put("vigil.mllp.listeners.it-tls.truststore", tlsDir.resolve("server-trust.p12").toString());
        p.put("vigil.mllp.listeners.it-tls.truststore-password", PASSWORD);
        return p;
    }

    @BeforeAll
    void cuff() throws Exception {
        patient = registry.patient("Pat Gateway");
        UUID cuff = registry.device("blood-pressure-cuff", "0123456789ABCDEF");
        registry.assign(cuff, patient, null, null);
    }

    @AfterAll
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        registry.close();
    }

    /** The corpus BP message measured at {@code taken}, with its own control id. */
    private static String bpMessage(Instant taken, String controlId) throws IOException {
        String text = new String(Files.readAllBytes(corpus().resolve(BP_EXAMPLE)), StandardCharsets.ISO_8859_1);
        return text.replace("20090813095715+0500", HL7_TIME.format(taken))
                .replace("20090713090030+0500", HL7_TIME.format(Instant.now()))
                .replace("|MSGID1234|", "|" + controlId + "|");
    }

    private ACK send(String listener, String message, SSLContext tls) throws Exception {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.6"));
        context.setValidationRuleBuilder(new NoValidationBuilder());
        if (tls != null) {
            context.setSocketFactory(new TlsClientSockets(tls));
        }
        open.add(context);
        Connection connection = context.newClient("127.0.0.1", listeners.port(listener), tls != null);
        try {
            return (ACK) connection.getInitiator().sendAndReceive(context.getPipeParser().parse(message));
        } finally {
            connection.close();
        }
    }

    private List<StoredReading> readings(Instant effective) {
        String uri = "/api/v1/patients/" + patient + "/readings?code=85354-9&from=" + base.minus(1, ChronoUnit.DAYS)
                + "&to=" + Instant.now().plusSeconds(60);
        return http.toBlocking().retrieve(get(uri, registry.tenant()), ReadingPage.class).items().stream()
                .filter(r -> r.effective().equals(effective)).toList();
    }

    @Test
    void aBloodPressureMessageIsAcknowledgedAaAndItsReadingIsStored() throws Exception {
        Instant taken = base.plusSeconds(60);
        ACK ack = send("it-plain", bpMessage(taken, "IT-BP-1"), null);
        assertEquals("AA", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("IT-BP-1", ack.getMSA().getMsa2_MessageControlID().getValue());
        assertEquals("AcmeInc^ACDE48234567ABCD^EUI-64", ack.getMSH().getMsh5_ReceivingApplication().encode());

        List<StoredReading> rows = Eventually.await(WAIT, () -> readings(taken), r -> r.size() == 3, "the BP panel");
        Map<String, Double> values = rows.stream().collect(Collectors.toMap(StoredReading::code, StoredReading::value));
        assertEquals(Map.of("8480-6", 120.0, "8462-4", 80.0, "8478-0", 100.0), values);
        assertEquals("0123456789ABCDEF", rows.get(0).device());
        assertEquals("hl7v2", rows.get(0).sourceFormat());
    }

    @Test
    void anInvalidMessageIsAeWithTheErrorsLocationAndADeadLetter() throws Exception {
        String invalid = bpMessage(base.plusSeconds(120), "IT-BAD-1").replace("Doe^John^Joseph^^^^L^A", "Doe");
        ACK ack = send("it-plain", invalid, null);
        assertEquals("AE", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("IT-BAD-1", ack.getMSA().getMsa2_MessageControlID().getValue());
        assertEquals("PID^1^5^1", ack.getERR(0).getErr2_ErrorLocation(0).encode());
        assertEquals("101", ack.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue());
        assertEquals("E", ack.getERR(0).getErr4_Severity().getValue());
        assertEquals("SCHEMA_VIOLATION", ack.getERR(0).getErr5_ApplicationErrorCode().getCwe1_Identifier().getValue());

        DeadLetterView letter = Eventually.await(WAIT, () -> http.toBlocking().retrieve(
                        get("/api/v1/dead-letters?format=hl7v2&code=SCHEMA_VIOLATION", registry.tenant()), DeadLetterPage.class).items(),
                l -> !l.isEmpty(), "the dead letter").get(0);
        assertEquals("vigil." + registry.tenant() + ".ingest.hl7v2.ACDE48234567ABCD", letter.subject());
        assertTrue(letter.reason().startsWith("PID-5: IHE PCD-01 profile"), letter.reason());
        assertEquals(invalid, letter.payload(), "the raw message is kept");
        assertEquals(null, letter.streamSeq());
    }

    @Test
    void anAckSentAsIfItWereAnObservationIsRejectedAr() throws Exception {
        String ackMessage = new String(Files.readAllBytes(corpus().resolve("pcd01/ipf-valid-pcd01-response_ACK-AA.hl7")),
                StandardCharsets.ISO_8859_1);
        ACK ack = send("it-plain", ackMessage, null);
        assertEquals("AR", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        assertEquals("AMSGID1234", ack.getMSA().getMsa2_MessageControlID().getValue());
        assertEquals("200", ack.getERR(0).getErr3_HL7ErrorCode().getCwe1_Identifier().getValue());
    }

    @Test
    void aRetransmissionOfTheSameControlIdIsAcknowledgedAaAndStoredOnce() throws Exception {
        Instant taken = base.plusSeconds(180);
        String message = bpMessage(taken, "IT-RETRY-1");
        assertEquals("AA", send("it-plain", message, null).getMSA().getMsa1_AcknowledgmentCode().getValue());
        // the gateway did not get that ACK and sends the message again, with a new MSH-7
        Thread.sleep(1_100);
        assertEquals("AA", send("it-plain", bpMessage(taken, "IT-RETRY-1"), null).getMSA().getMsa1_AcknowledgmentCode().getValue());
        // a marker sent after both: once it is stored, the retransmission would have been too
        Instant marker = base.plusSeconds(240);
        assertEquals("AA", send("it-plain", bpMessage(marker, "IT-RETRY-MARK"), null).getMSA().getMsa1_AcknowledgmentCode().getValue());
        Eventually.await(WAIT, () -> readings(marker), r -> r.size() == 3, "the marker");
        assertEquals(3, readings(taken).size(), "one panel of three components, stored once");
    }

    @Test
    void overMutualTlsTheSameMessageIsAcknowledgedAaAndStored() throws Exception {
        Instant taken = base.plusSeconds(300);
        ACK ack = send("it-tls", bpMessage(taken, "IT-TLS-1"), clientContext());
        assertEquals("AA", ack.getMSA().getMsa1_AcknowledgmentCode().getValue());
        Eventually.await(WAIT, () -> readings(taken), r -> r.size() == 3, "the BP panel sent over TLS");
    }

    /** The corpus next to the repository ({@code ops/corpus/hl7v2}, a copy of ../shared/corpus). */
    private static Path corpus() {
        // Maven sets vigil.corpus to the vendored copy (ops/corpus.md); the fallback serves a run from the module dir.
        Path corpus = Path.of(System.getProperty("vigil.corpus", "../../ops/corpus")).resolve("hl7v2").toAbsolutePath().normalize();
        if (!Files.exists(corpus)) {
            throw new IllegalStateException("The outside test corpus is missing: " + corpus + " (see ops/corpus.md).");
        }
        return corpus;
    }

    private SSLContext clientContext() throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(tlsDir.resolve("client.p12")), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(tlsDir.resolve("client-trust.p12")));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path p) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            store.load(in, PASSWORD.toCharArray());
        }
        return store;
    }

    /** A throwaway key pair in {@code <alias>.p12}, made with the JDK's keytool. */
    private void keyPair(String alias, String dname, String san) throws Exception {
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", dname, "-validity", "2", "-storetype", "PKCS12", "-keystore", tlsDir.resolve(alias + ".p12").toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD));
        if (san != null) {
            args.addAll(List.of("-ext", san));
        }
        keytool(args);
    }

    /** The certificate of {@code alias} in a new truststore {@code truststore}. */
    private void trust(String alias, String truststore) throws Exception {
        Path crt = tlsDir.resolve(alias + ".crt");
        keytool(List.of("-exportcert", "-alias", alias, "-keystore", tlsDir.resolve(alias + ".p12").toString(),
                "-storepass", PASSWORD, "-rfc", "-file", crt.toString()));
        keytool(List.of("-importcert", "-noprompt", "-alias", alias, "-file", crt.toString(), "-storetype", "PKCS12",
                "-keystore", tlsDir.resolve(truststore).toString(), "-storepass", PASSWORD));
    }

    private static void keytool(List<String> args) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + args.get(0) + " failed: " + output);
        }
    }

    /** HAPI's client with the test's TLS context instead of the JVM-wide default. */
    private record TlsClientSockets(SSLContext tls) implements SocketFactory {
        @Override
        public Socket createSocket() {
            return new Socket();
        }

        @Override
        public Socket createTlsSocket() throws IOException {
            return tls.getSocketFactory().createSocket();
        }

        @Override
        public ServerSocket createServerSocket() throws IOException {
            return new ServerSocket();
        }

        @Override
        public ServerSocket createTlsServerSocket() throws IOException {
            return tls.getServerSocketFactory().createServerSocket();
        }

        @Override
        public void configureNewAcceptedSocket(Socket socket) {
        }
    }
}
