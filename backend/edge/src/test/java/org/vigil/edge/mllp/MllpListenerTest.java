package org.vigil.edge.mllp;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.app.Connection;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.model.v26.message.ACK;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.util.SocketFactory;
import ca.uhn.hl7v2.util.StandardSocketFactory;
import ca.uhn.hl7v2.validation.builder.support.NoValidationBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.normalize.hl7.Hl7v2Decoder;

import javax.net.ssl.SSLContext;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real sockets: HAPI's MLLP client against our listener, plain and with mutual TLS, and raw framing edge cases. */
class MllpListenerTest {
    private static final Hl7Intake INTAKE = EdgeCorpus.intake();
    @TempDir
    static Path certificates;
    private static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = TestCertificates.create(certificates);
    }

    private final List<byte[]> published = new ArrayList<>();
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private MllpListener listen(MllpListenerSettings settings) throws Exception {
        Hl7Receiver receiver = new Hl7Receiver(EdgeCorpus.TENANT, INTAKE, (subject, payload, id, timeout) -> {
            synchronized (published) {
                published.add(payload);
            }
            return false;
        }, letters -> { }, Clock.fixed(EdgeCorpus.RECEIVED, ZoneOffset.UTC), Duration.ofSeconds(2));
        MllpListener listener = MllpListener.start(settings, receiver);
        open.add(listener);
        return listener;
    }

    private static MllpListenerSettings settings(String keystore, String truststore, int maxBytes) {
        return new MllpListenerSettings("test", "acme", 0, "127.0.0.1", keystore, keystore == null ? null : TestCertificates.PASSWORD,
                truststore, truststore == null ? null : TestCertificates.PASSWORD, Duration.ofSeconds(2), Duration.ofSeconds(30),
                4, maxBytes);
    }

    private HapiContext client(SSLContext tls) {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.6"));
        context.setValidationRuleBuilder(new NoValidationBuilder());
        if (tls != null) {
            context.setSocketFactory(new TlsClientSockets(tls));
        }
        open.add(context);
        return context;
    }

    private static String ack(HapiContext context, int port, boolean tls, String message) throws Exception {
        Connection connection = context.newClient("127.0.0.1", port, tls);
        try {
            Message response = connection.getInitiator().sendAndReceive(context.getPipeParser().parse(message));
            return ((ACK) response).getMSA().getMsa1_AcknowledgmentCode().getValue();
        } finally {
            connection.close();
        }
    }

    private static String j2() {
        return new String(EdgeCorpus.bytes(EdgeCorpus.J2_BP), StandardCharsets.ISO_8859_1);
    }

    @Test
    void hapisClientGetsAaForAGoodMessageAndAeForABadOne() throws Exception {
        MllpListener listener = listen(settings(null, null, 1 << 20));
        HapiContext client = client(null);
        assertEquals("AA", ack(client, listener.port(), false, j2()));
        assertEquals("AE", ack(client, listener.port(), false, j2().replace("Doe^John^Joseph^^^^L^A", "Doe")));
        assertEquals(1, published.size());
    }

    @Test
    void mutualTlsAcceptsTheTrustedClientAndRefusesOneWithoutCertificate() throws Exception {
        MllpListener listener = listen(settings(certs.serverKeystore().toString(), certs.serverTruststore().toString(), 1 << 20));
        assertEquals("AA", ack(client(certs.clientContext(true)), listener.port(), true, j2()));
        HapiContext anonymous = client(certs.clientContext(false));
        assertThrows(Exception.class, () -> ack(anonymous, listener.port(), true, j2()));
        assertEquals(1, published.size());
    }

    @Test
    void tlsWithoutTruststoreNeedsNoClientCertificate() throws Exception {
        MllpListener listener = listen(settings(certs.serverKeystore().toString(), null, 1 << 20));
        assertEquals("AA", ack(client(certs.clientContext(false)), listener.port(), true, j2()));
    }

    /** Several frames on one connection, noise between them, a frame without its CR, and one that is too large. */
    @Test
    void framingIsLenientAndOneConnectionCarriesManyMessages() throws Exception {
        MllpListener listener = listen(settings(null, null, 4096));
        try (Socket socket = new Socket("127.0.0.1", listener.port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            byte[] message = EdgeCorpus.bytes(EdgeCorpus.J2_BP);
            write(out, "\r\n".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0x0b}, message, new byte[]{0x1c, 0x0d});
            assertTrue(readFrame(in).contains("MSA|AA|MSGID1234"));
            write(out, new byte[]{0x0b}, message, new byte[]{0x1c});
            assertTrue(readFrame(in).contains("MSA|AA|MSGID1234"));
            write(out, new byte[]{0x0b}, new byte[5000], new byte[]{0x1c, 0x0d});
            assertTrue(readFrame(in).contains("MSA|AE"));
            write(out, new byte[]{0x0b}, "garbage".getBytes(StandardCharsets.ISO_8859_1), new byte[]{0x1c, 0x0d});
            assertTrue(readFrame(in).contains("MSA|AE"));
        }
        assertEquals(2, published.size());
    }

    @Test
    void aPortThatIsTakenIsReportedWithTheListenersName() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            MllpListenerSettings s = new MllpListenerSettings("busy", "acme", taken.getLocalPort(), "127.0.0.1", null, null,
                    null, null, Duration.ofSeconds(1), Duration.ofSeconds(1), 1, 1024);
            IOException e = assertThrows(IOException.class, () -> listen(s));
            assertTrue(e.getMessage().startsWith("MLLP listener 'busy' cannot listen on 127.0.0.1:" + taken.getLocalPort()), e.getMessage());
        }
    }

    private static void write(OutputStream out, byte[]... parts) throws IOException {
        for (byte[] p : parts) {
            out.write(p);
        }
        out.flush();
    }

    private static String readFrame(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != 0x0b) {
            if (c < 0) {
                throw new IOException("connection closed before an ACK");
            }
        }
        while ((c = in.read()) != 0x1c) {
            b.write(c);
        }
        assertEquals(0x0d, in.read());
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    /** HAPI's client with our own TLS context instead of the JVM-wide default. */
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
            return new StandardSocketFactory().createServerSocket();
        }

        @Override
        public ServerSocket createTlsServerSocket() throws IOException {
            return new StandardSocketFactory().createTlsServerSocket();
        }

        @Override
        public void configureNewAcceptedSocket(Socket socket) {
        }
    }
}
