package org.vigil.ehr.internal;

import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;
import org.vigil.core.VitalSign;
import org.vigil.edge.mllp.MllpFraming;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.fhir.Items;

import java.io.IOException;
import java.io.PushbackInputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The MLLP transport against a receiver on a real socket that answers AA but, like many interface engines, closes
 * a connection after each message.
 */
class MllpTransportTest {
    private final ObjectMapper json = ObjectMapper.getDefault();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;
    private Thread acceptor;

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            acceptor.join(2000);
        }
    }

    /** Answers the first message of every connection with AA, then closes it. */
    private int oneMessagePerConnection() throws IOException {
        server = new ServerSocket(0);
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    connections.incrementAndGet();
                    byte[] frame = MllpFraming.read(new PushbackInputStream(s.getInputStream(), 1), 1 << 20);
                    String control = new String(frame, StandardCharsets.UTF_8).split("\r")[0].split("\\|")[9];
                    String ack = "MSH|^~\\&|EPIC|GENHOSP|VIGIL|RPM|20250304071600||ACK^R01^ACK|A-" + control + "|P|2.5.1\r"
                            + "MSA|AA|" + control + "\r";
                    MllpFraming.write(s.getOutputStream(), ack.getBytes(StandardCharsets.UTF_8));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    // closed by the test
                }
            }
        });
        acceptor.start();
        return server.getLocalPort();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static EhrEndpoint endpoint(int port, int window) {
        EhrEndpoint.Mllp mllp = new EhrEndpoint.Mllp("127.0.0.1", port, false, null, "VIGIL", "RPM", "EPIC", "GENHOSP",
                "2.5.1", window, "urn:oid:1.2.3.4.5", "GENHOSP");
        EhrEndpoint.Delivery delivery = new EhrEndpoint.Delivery(1, Duration.ofSeconds(2), 3, Duration.ofSeconds(1),
                Duration.ofSeconds(2), 3, Duration.ofSeconds(1));
        return new EhrEndpoint(new TenantId("t-mllp"), "feed", EhrEndpoint.Kind.MLLP, null, mllp,
                new EhrEndpoint.Send(EhrEndpoint.Readings.ALL, EhrEndpoint.Summaries.NONE, EhrEndpoint.SummaryShape.OBSERVATIONS),
                delivery, true, true, 1);
    }

    private Outbox.Claimed item(String key, boolean identified) throws IOException {
        String payload = json.writeValueAsString(Items.reading(VitalSign.HEART_RATE));
        return new Outbox.Claimed(UUID.randomUUID(), 1, UUID.randomUUID(), "reading", key, payload, 0, 0,
                identified ? Items.JANE : null, identified ? null : "patient-identifier-missing");
    }

    @Test
    void aKeptConnectionTheReceiverClosedIsReplacedNotCountedAsAFailure() throws Exception {
        try (MllpTransport transport = new MllpTransport(endpoint(oneMessagePerConnection(), 1), json, Clock.systemUTC())) {
            Outcome first = transport.send(List.of(item("k1", true))).get(0);
            assertEquals(Outcome.Result.DELIVERED, first.result(), first.detail());
            Thread.sleep(200);   // the receiver has closed that connection by now; the transport kept it
            Outcome second = transport.send(List.of(item("k2", true))).get(0);

            assertEquals(Outcome.Result.DELIVERED, second.result(), second.detail());
            assertEquals(2, connections.get());
        }
    }

    @Test
    void everyItemGetsExactlyOneOutcomeWhenTheReceiverIsDown() throws Exception {
        try (MllpTransport transport = new MllpTransport(endpoint(closedPort(), 2), json, Clock.systemUTC())) {
            Outbox.Claimed sendable = item("k1", true);
            Outbox.Claimed unidentified = item("k2", false);
            List<Outcome> outcomes = transport.send(List.of(sendable, unidentified));

            assertEquals(2, outcomes.size());
            assertEquals(Outcome.Result.UNREACHABLE, outcomes.stream().filter(o -> o.itemId().equals(sendable.itemId()))
                    .findFirst().orElseThrow().result());
            assertEquals(Outcome.Result.HELD, outcomes.stream().filter(o -> o.itemId().equals(unidentified.itemId()))
                    .findFirst().orElseThrow().result());
        }
    }
}
