package org.vigil.sandbox;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The HL7 v2 receiver as an MLLP sender meets it: ACK codes, pipelining, silence, TLS, outages. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MllpReceiverTest {

    private EhrSandbox sandbox;

    @BeforeAll
    void start() {
        sandbox = EhrSandbox.start(SandboxOptions.defaults().withValidate(false));
    }

    @AfterAll
    void stop() {
        sandbox.close();
    }

    @BeforeEach
    void reset() {
        sandbox.reset();
    }

    static String oru(String controlId, String version, String mrn) {
        return "MSH|^~\\&|VIGIL^urn:vigil:app^URI|VIGIL-RPM|EHR|HOSPITAL|20261121103000+0000||ORU^R01^ORU_R01|"
                + controlId + "|P|" + version + "|||NE|AL||UNICODE UTF-8\r"
                + "PID|||" + mrn + "^^^HOSP&1.2.3&ISO^MR||Doe^Jane\r"
                + "OBR|1|" + controlId + "^VIGIL||8867-4^Heart rate^LN|||20261121102900+0000\r"
                + "OBX|1|NM|8867-4^Heart rate^LN||72|/min^/min^UCUM|||||F|||20261121102900+0000\r";
    }

    private static Map<String, String> fields(String ack, String segment) {
        for (String line : ack.split("\r")) {
            if (line.startsWith(segment + "|")) {
                String[] parts = line.split("\\|", -1);
                Map<String, String> byNumber = new java.util.HashMap<>();
                for (int i = 1; i < parts.length; i++) {
                    // MSH-1 is the separator itself, so MSH's split index is one below its field number
                    byNumber.put(String.valueOf(segment.equals("MSH") ? i + 1 : i), parts[i]);
                }
                return byNumber;
            }
        }
        return null;
    }

    @Test
    void anOru26IsAcceptedWithAnOriginalModeAckAddressedBackToTheSender() throws Exception {
        try (MllpClient client = MllpClient.plain(sandbox.mllpPort())) {
            client.send(oru("C-1", "2.6", "MRN-1"));
            String ack = client.receive();
            Map<String, String> msh = fields(ack, "MSH");
            assertEquals("EHR", msh.get("3"));
            assertEquals("HOSPITAL", msh.get("4"));
            assertEquals("VIGIL^urn:vigil:app^URI", msh.get("5"));
            assertEquals("VIGIL-RPM", msh.get("6"));
            assertEquals("ACK^R01^ACK", msh.get("9"));
            assertEquals("P", msh.get("11"));
            assertEquals("2.6", msh.get("12"));
            assertEquals("AA", fields(ack, "MSA").get("1"));
            assertEquals("C-1", fields(ack, "MSA").get("2"));
            assertNull(fields(ack, "ERR"));
        }
        assertEquals(Map.of("C-1", 1), sandbox.messagesByControlId());
        assertEquals("MRN-1^^^HOSP&1.2.3&ISO^MR", sandbox.patientsByControlId().get("C-1"));
        assertEquals(1, sandbox.acked(Mode.AA));
        assertEquals(1, sandbox.connectionsAccepted());
    }

    @Test
    void anOru251AndTheIhePcd01ExampleParse() throws Exception {
        String pcd01 = Files.readString(Path.of(System.getProperty("vigil.corpus", "../corpus"))
                .resolve("hl7v2/pcd01/ipf-valid-pcd01-request_IHE-PCD-TF-J2_BP.hl7"));
        try (MllpClient client = MllpClient.plain(sandbox.mllpPort())) {
            client.send(oru("C-251", "2.5.1", "MRN-2"));
            String ack = client.receive();
            assertEquals("AA", fields(ack, "MSA").get("1"), ack);
            assertEquals("2.5.1", fields(ack, "MSH").get("12"));
            client.send(pcd01);
            assertEquals("AA", fields(client.receive(), "MSA").get("1"));
        }
    }

    @Test
    void aeAndArModesAndAScriptAnswerWithAnErrSegment() throws Exception {
        try (MllpClient client = MllpClient.plain(sandbox.mllpPort())) {
            sandbox.mllpMode(Mode.AE);
            String ae = (send(client, oru("C-AE", "2.6", "MRN-1")));
            assertEquals("AE", fields(ae, "MSA").get("1"));
            assertTrue(fields(ae, "ERR").get("3").startsWith("207^"), ae);
            assertEquals("E", fields(ae, "ERR").get("4"));

            sandbox.mllpMode(Mode.AR);
            assertEquals("AR", fields(send(client, oru("C-AR", "2.6", "MRN-1")), "MSA").get("1"));

            sandbox.mllpMode(Mode.AA);
            sandbox.mllpScript(id -> id.endsWith("-bad") ? Mode.AE : null);
            assertEquals("AE", fields(send(client, oru("C-3-bad", "2.6", "MRN-1")), "MSA").get("1"));
            assertEquals("AA", fields(send(client, oru("C-4", "2.6", "MRN-1")), "MSA").get("1"));
        }
        assertEquals(2, sandbox.acked(Mode.AE));
        assertEquals(1, sandbox.acked(Mode.AR));
        assertEquals(1, sandbox.acked(Mode.AA));
    }

    private static String send(MllpClient client, String message) throws IOException {
        client.send(message);
        return client.receive();
    }

    @Test
    void anUnparseableMessageIsRejected() throws Exception {
        String broken = "MSH|^~\\&|VIGIL|RPM|EHR|HOSP|20261121103000||ORU^R01^ORU_R01|C-BAD|P|2.6\r"
                + "OBX|1|NM|8867-4^Heart rate^LN||not-a-number|/min|||||F\r";
        try (MllpClient client = MllpClient.plain(sandbox.mllpPort())) {
            String ack = send(client, broken);
            assertEquals("AR", fields(ack, "MSA").get("1"), ack);
            assertEquals("C-BAD", fields(ack, "MSA").get("2"));
            assertTrue(fields(ack, "ERR").get("8").length() > 0, ack);
            String unknownVersion = send(client, oru("C-V9", "9.9", "MRN-1"));
            assertEquals("AR", fields(unknownVersion, "MSA").get("1"), unknownVersion);
        }
    }

    @Test
    void pipelinedMessagesAreAckedInTheOrderSent() throws Exception {
        sandbox.mllpDelay(Duration.ofMillis(20));
        try (MllpClient client = MllpClient.plain(sandbox.mllpPort())) {
            for (int i = 0; i < 10; i++) {
                client.send(oru("P-" + i, "2.6", "MRN-" + i));
            }
            for (int i = 0; i < 10; i++) {
                assertEquals("P-" + i, fields(client.receive(), "MSA").get("2"));
            }
        }
        assertEquals(10, sandbox.messages().size());
    }

    @Test
    void manyConnectionsAreServedAtOnce() throws Exception {
        sandbox.mllpDelay(Duration.ofMillis(300));
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            long start = System.nanoTime();
            List<Future<String>> acks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String id = "M-" + i;
                acks.add(pool.submit(() -> {
                    try (MllpClient client = MllpClient.plain(sandbox.mllpPort())) {
                        return fields(send(client, oru(id, "2.6", "MRN")), "MSA").get("2");
                    }
                }));
            }
            for (int i = 0; i < 8; i++) {
                assertEquals("M-" + i, acks.get(i).get());
            }
            // eight 300 ms answers in parallel, not one after the other (2.4 s)
            assertTrue(System.nanoTime() - start < Duration.ofMillis(2000).toNanos());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(8, sandbox.connectionsAccepted());
    }

    @Test
    void silentModeReadsButNeverAnswers() throws Exception {
        sandbox.mllpSilent(true);
        try (MllpClient client = MllpClient.plain(sandbox.mllpPort())) {
            client.readTimeout(400);
            client.send(oru("S-1", "2.6", "MRN-1"));
            assertThrows(SocketTimeoutException.class, client::receive);
        }
        assertEquals(Map.of("S-1", 1), sandbox.messagesByControlId());
        assertEquals(0, sandbox.acked(Mode.AA));
    }

    @Test
    void aResendIsCountedUnderItsControlId() throws Exception {
        try (MllpClient client = MllpClient.plain(sandbox.mllpPort())) {
            send(client, oru("R-1", "2.6", "MRN-1"));
            send(client, oru("R-1", "2.6", "MRN-1"));
        }
        assertEquals(2, sandbox.messagesByControlId().get("R-1"));
    }

    @Test
    void downRefusesConnectionsCutsOpenOnesAndComesBackOnTheSamePort() throws Exception {
        int port = sandbox.mllpPort();
        try (MllpClient open = MllpClient.plain(port)) {
            send(open, oru("D-1", "2.6", "MRN-1"));
            sandbox.mllpDown(true);
            assertThrows(ConnectException.class, () -> MllpClient.plain(port));
            open.send(oru("D-2", "2.6", "MRN-1"));
            assertNull(open.receive(), "the open connection was closed");
        } catch (IOException e) {
            // a reset rather than an orderly close is as good
        } finally {
            sandbox.mllpDown(false);
        }
        assertEquals(port, sandbox.mllpPort());
        try (MllpClient again = MllpClient.plain(port)) {
            assertEquals("AA", fields(send(again, oru("D-3", "2.6", "MRN-1")), "MSA").get("1"));
        }
    }

    @Test
    void tlsWorksWithTheExposedCertificate() throws Exception {
        try (EhrSandbox tls = EhrSandbox.start(SandboxOptions.defaults().withValidate(false).withMllpTls(true))) {
            String pem = tls.mllpCertificatePem();
            assertTrue(pem.startsWith("-----BEGIN CERTIFICATE-----"));
            try (MllpClient client = MllpClient.tls(tls.mllpPort(), pem)) {
                assertEquals("AA", fields(send(client, oru("T-1", "2.6", "MRN-1")), "MSA").get("1"));
            }
            // a client that does not trust it cannot talk to it
            String stranger = org.vigil.sandbox.mllp.TlsIdentity.selfSigned("127.0.0.1").certificatePem();
            assertThrows(javax.net.ssl.SSLException.class, () -> MllpClient.tls(tls.mllpPort(), stranger));
            assertEquals(Map.of("T-1", 1), tls.messagesByControlId());
        }
    }
}
