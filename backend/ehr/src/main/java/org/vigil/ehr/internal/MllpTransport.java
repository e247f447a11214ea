package org.vigil.ehr.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import org.vigil.edge.mllp.MllpFraming;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.SummaryItem;
import org.vigil.ehr.hl7.Ack;
import org.vigil.ehr.hl7.Hl7Header;
import org.vigil.ehr.hl7.OruMessages;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedDeque;

/**
 * ORU^R01 over MLLP. Strict original mode (window 1): one message, then its ACK, then the next. Pipelined (window
 * n): up to n messages written before their ACKs are read, matched in order by MSA-2. Every send of an item
 * carries the same control id, so a receiver that saw it before can tell. An ACK that does not come within the
 * timeout closes the connection and counts as the endpoint failing: the item is tried again after its backoff and
 * the breaker, never re-sent at once, so a silent receiver is not flooded. Connections are kept for the next send;
 * one the receiver closed meanwhile (it restarted, or drops idle connections) is replaced at once, not counted
 * against the endpoint.
 */
final class MllpTransport implements Transport {
    private static final int MAX_ACK_BYTES = 64 * 1024;

    private final EhrEndpoint endpoint;
    private final EhrEndpoint.Mllp mllp;
    private final Hl7Header header;
    private final ObjectMapper json;
    private final Clock clock;
    private final int timeoutMs;
    private final ConcurrentLinkedDeque<Conn> idle = new ConcurrentLinkedDeque<>();
    @Nullable
    private final SSLContext tls;

    private record Conn(Socket socket, PushbackInputStream in, OutputStream out) {
        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }

    MllpTransport(EhrEndpoint endpoint, ObjectMapper json, Clock clock) {
        this.endpoint = endpoint;
        this.mllp = endpoint.mllp();
        this.json = json;
        this.clock = clock;
        this.header = Hl7Header.of(mllp, endpoint.sandbox());
        this.timeoutMs = (int) endpoint.delivery().timeout().toMillis();
        try {
            this.tls = mllp.tls() ? context(mllp.trustedCertificate()) : null;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("endpoint " + endpoint.id() + ": the trusted certificate cannot be used: " + e.getMessage(), e);
        }
    }

    @Override
    public int itemsPerSend() {
        // Several windows per send when pipelining: a claim costs a scan of the pending items, a window is cheap.
        return Math.max(20, mllp.window());
    }

    @Override
    public int perPatient() {
        // Pipelined messages are all written before any ACK is read: two of one patient could not be kept in order
        // if the first were refused, so a window carries one item per patient.
        return mllp.window() == 1 ? 20 : 1;
    }

    @Override
    public List<Outcome> send(List<Outbox.Claimed> items) {
        List<Outcome> out = new ArrayList<>(items.size());
        Set<java.util.UUID> stopped = new HashSet<>();
        Conn conn = null;
        boolean reused = false;
        int i = 0;
        try {
            while (i < items.size()) {
                List<Outbox.Claimed> window = new ArrayList<>();
                List<String> ids = new ArrayList<>();
                List<String> messages = new ArrayList<>();
                int end = Math.min(items.size(), i + mllp.window());
                for (; i < end; i++) {
                    Outbox.Claimed item = items.get(i);
                    if (stopped.contains(item.patient())) {
                        out.add(Outcome.of(item.itemId(), Outcome.Result.SKIPPED, "an earlier item of the patient failed"));
                    } else if (item.identity() == null) {
                        out.add(Outcome.held(item.itemId(), item.identityProblem(), "no single identifier of system "
                                + mllp.patientIdentifierSystem() + " for this patient in the registry"));
                        stopped.add(item.patient());
                    } else {
                        String id = OruMessages.controlId(item.key());
                        try {
                            messages.add(render(item, id));
                            ids.add(id);
                            window.add(item);
                        } catch (IOException | RuntimeException e) {
                            out.add(new Outcome(item.itemId(), Outcome.Result.REFUSED, "cannot be rendered as ORU^R01: " + e,
                                    null, id, null, null));
                            stopped.add(item.patient());
                        }
                    }
                }
                if (window.isEmpty()) {
                    continue;
                }
                if (conn == null) {
                    conn = idle.poll();
                    reused = conn != null;
                    if (conn == null) {
                        conn = connect();
                    }
                }
                try {
                    exchange(conn, reused, window, ids, messages, out, stopped);
                } catch (Stale e) {
                    conn.close();
                    conn = null;          // a failed connect below must not close it twice
                    conn = connect();
                    exchange(conn, false, window, ids, messages, out, stopped);
                }
                reused = false;
            }
            if (conn != null) {
                idle.push(conn);
            }
        } catch (Unanswered u) {
            conn.close();
            for (int k = 0; k < u.unanswered.size(); k++) {
                out.add(new Outcome(u.unanswered.get(k).itemId(), Outcome.Result.UNREACHABLE, u.getMessage(), null, u.ids.get(k), null, null));
            }
            rest(items, out, Outcome.Result.SKIPPED, "the connection failed before it was sent");
        } catch (IOException e) {
            if (conn != null) {
                conn.close();
            }
            rest(items, out, Outcome.Result.UNREACHABLE, "cannot reach " + mllp.host() + ":" + mllp.port() + ": " + e);
        }
        return out;
    }

    /**
     * Writes a window and reads its ACKs. On a connection kept from an earlier send, a write that fails or a
     * first ACK that never starts because the receiver had closed the connection is {@link Stale}: nothing of
     * this window was acknowledged, and the caller sends it again on a fresh connection.
     */
    private void exchange(Conn conn, boolean reused, List<Outbox.Claimed> window, List<String> ids, List<String> messages,
                          List<Outcome> out, Set<java.util.UUID> stopped) throws IOException {
        try {
            for (String message : messages) {
                MllpFraming.write(conn.out(), message.getBytes(StandardCharsets.UTF_8));
            }
            conn.out().flush();
        } catch (IOException e) {
            if (reused) {
                throw new Stale();
            }
            throw e;
        }
        for (int k = 0; k < window.size(); k++) {
            Outbox.Claimed item = window.get(k);
            String id = ids.get(k);
            Ack ack;
            try {
                byte[] frame = MllpFraming.read(conn.in(), MAX_ACK_BYTES);
                if (frame == null) {
                    if (reused && k == 0) {
                        throw new Stale();
                    }
                    throw new IOException("the receiver closed the connection before acknowledging " + id);
                }
                ack = Ack.parse(new String(frame, StandardCharsets.UTF_8));
            } catch (Stale e) {
                throw e;
            } catch (SocketTimeoutException e) {
                throw new Unanswered("no ACK for " + id + " within " + timeoutMs + " ms", window.subList(k, window.size()), ids.subList(k, ids.size()));
            } catch (IOException | RuntimeException e) {
                if (reused && k == 0 && e instanceof java.net.SocketException) {
                    throw new Stale();    // reset by a receiver that had dropped the connection
                }
                throw new Unanswered(e.getMessage() == null ? e.toString() : e.getMessage(),
                        window.subList(k, window.size()), ids.subList(k, ids.size()));
            }
            if (!id.equals(ack.controlId())) {
                throw new Unanswered("an ACK for " + ack.controlId() + " came while waiting for " + id,
                        window.subList(k, window.size()), ids.subList(k, ids.size()));
            }
            String text = ack.code() + (ack.text() == null || ack.text().isBlank() ? "" : " " + ack.text());
            switch (ack.code()) {
                case "AA" -> out.add(Outcome.delivered(item.itemId(), text, id, id, "AA"));
                case "AR" -> {
                    out.add(new Outcome(item.itemId(), Outcome.Result.REJECTED, text, null, id, "AR", null));
                    stopped.add(item.patient());
                }
                default -> {
                    out.add(new Outcome(item.itemId(), Outcome.Result.REFUSED, text, null, id, ack.code(), null));
                    stopped.add(item.patient());
                }
            }
        }
    }

    /** Every item without an outcome yet gets this one (outcomes are not in item order: held ones come first). */
    private static void rest(List<Outbox.Claimed> items, List<Outcome> out, Outcome.Result result, String why) {
        Set<java.util.UUID> decided = new HashSet<>();
        out.forEach(o -> decided.add(o.itemId()));
        for (Outbox.Claimed i : items) {
            if (!decided.contains(i.itemId())) {
                out.add(Outcome.of(i.itemId(), result, why));
            }
        }
    }

    /** A kept connection turned out closed by the receiver before this window was acknowledged. */
    private static final class Stale extends IOException {
        Stale() {
            super("the kept connection had been closed by the receiver");
        }
    }

    private static final class Unanswered extends IOException {
        final List<Outbox.Claimed> unanswered;
        final List<String> ids;

        Unanswered(String message, List<Outbox.Claimed> unanswered, List<String> ids) {
            super(message);
            this.unanswered = List.copyOf(unanswered);
            this.ids = List.copyOf(ids);
        }
    }

    private String render(Outbox.Claimed item, String controlId) throws IOException {
        if ("summary".equals(item.kind())) {
            SummaryItem s = json.readValue(item.payload(), SummaryItem.class);
            return OruMessages.summary(s, item.identity(), mllp.assigningAuthority(), header, controlId, clock.instant());
        }
        ObservationItem o = json.readValue(item.payload(), ObservationItem.class);
        return OruMessages.reading(o, item.identity(), mllp.assigningAuthority(), header, controlId, clock.instant());
    }

    private Conn connect() throws IOException {
        Socket s = tls == null ? new Socket() : tls.getSocketFactory().createSocket();
        try {
            s.connect(new InetSocketAddress(mllp.host(), mllp.port()), timeoutMs);
            s.setSoTimeout(timeoutMs);
            s.setTcpNoDelay(true);
            if (s instanceof SSLSocket ssl) {
                if (mllp.trustedCertificate() == null) {
                    // Trusting the JVM's authorities: the certificate must also name the host. A pinned certificate
                    // is itself the receiver's identity.
                    SSLParameters p = ssl.getSSLParameters();
                    p.setEndpointIdentificationAlgorithm("HTTPS");
                    ssl.setSSLParameters(p);
                }
                ssl.startHandshake();
            }
            // Buffered both ways: MLLP framing reads a byte at a time and writes a frame in four pieces, which on the
            // bare socket streams is a system call per byte read and four TCP segments per message.
            return new Conn(s, new PushbackInputStream(new BufferedInputStream(s.getInputStream()), 1),
                    new BufferedOutputStream(s.getOutputStream()));
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    private static SSLContext context(@Nullable String pem) throws GeneralSecurityException, IOException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        if (pem == null) {
            ctx.init(null, null, null);
            return ctx;
        }
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        int n = 0;
        for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(
                new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            ks.setCertificateEntry("trusted-" + n++, cert);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    @Override
    public void close() {
        Conn c;
        while ((c = idle.poll()) != null) {
            c.close();
        }
    }
}
