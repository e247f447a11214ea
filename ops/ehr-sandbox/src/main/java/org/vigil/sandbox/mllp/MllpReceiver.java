package org.vigil.sandbox.mllp;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.parser.Parser;
import org.vigil.sandbox.Mode;

import javax.net.ssl.SSLContext;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HL7 v2 receiver over MLLP: one thread per connection reads frames in order and answers each with an
 * original-mode ACK before reading the next, so a client that pipelines gets its ACKs in the order it sent.
 * It can be taken down (the port refuses connections, open ones are cut) and brought back on the same port.
 */
public final class MllpReceiver implements AutoCloseable {

    private final String host;
    private final SSLContext tls;
    private final MllpBehaviour behaviour;
    private final MllpLog log;
    private final HapiContext hl7 = new DefaultHapiContext();
    private final AckWriter acks = new AckWriter();
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final ExecutorService connections;
    private int port;
    private ServerSocket server;
    private Thread acceptor;

    /** @param tls null for plain MLLP */
    public MllpReceiver(String host, int port, SSLContext tls, MllpBehaviour behaviour, MllpLog log) {
        this.host = host;
        this.port = port;
        this.tls = tls;
        this.behaviour = behaviour;
        this.log = log;
        AtomicInteger n = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "sandbox-mllp-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    public synchronized void start() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket socket = tls == null ? new ServerSocket() : tls.getServerSocketFactory().createServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(host, port), 200);
        port = socket.getLocalPort();
        server = socket;
        acceptor = new Thread(() -> accept(socket), "sandbox-mllp-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Down: the port refuses connections and open ones are closed. Up: listening again on the same port. */
    public synchronized void down(boolean down) throws IOException {
        if (!down) {
            start();
            return;
        }
        if (server != null) {
            server.close();
            server = null;
            // the JDK closes a listening socket for good only once the thread blocked in accept() has left it;
            // until then connections would still be accepted, so wait for that thread
            try {
                acceptor.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
    }

    public synchronized int port() {
        return port;
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                log.connectionAccepted();
                open.add(connection);
                connections.execute(() -> serve(connection));
            } catch (IOException e) {
                // the socket was closed (down or close): this acceptor is done
                return;
            }
        }
    }

    private void serve(Socket connection) {
        Parser parser = hl7.getPipeParser();
        try (connection) {
            connection.setTcpNoDelay(true);
            MllpFrames frames = new MllpFrames(new BufferedInputStream(connection.getInputStream()));
            OutputStream out = new BufferedOutputStream(connection.getOutputStream());
            byte[] frame;
            while ((frame = frames.next()) != null) {
                answer(frame, parser, out);
            }
        } catch (IOException e) {
            // the peer went away or the TLS handshake failed; nothing to answer
        } finally {
            open.remove(connection);
        }
    }

    private void answer(byte[] frame, Parser parser, OutputStream out) throws IOException {
        Charset charset = charsetOf(frame);
        String text = new String(frame, charset);
        Er7 message = Er7.of(text);
        String controlId = message.msh(10);
        log.received(controlId, text, message.field("PID", 3));
        Mode mode;
        int code = 207;
        String codeText = "Application internal error";
        String error = null;
        try {
            parser.parse(text);
            mode = behaviour.modeFor(controlId);
            if (mode != Mode.AA) {
                error = "the sandbox EHR was told to answer " + mode;
            }
        } catch (HL7Exception e) {
            mode = Mode.AR;
            code = e.getError().getCode();
            codeText = e.getError().getMessage();
            error = e.getMessage();
        } catch (RuntimeException e) {
            mode = Mode.AR;
            error = "unparseable: " + e;
        }
        if (behaviour.silent()) {
            return;
        }
        Duration delay = behaviour.delay();
        if (!delay.isZero()) {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
        byte[] ack = acks.ack(message, mode, code, codeText, error == null ? "" : error).getBytes(charset);
        // counted before it is written, so a sender that has read its ACK also sees it counted
        log.ackSent(mode);
        MllpFrames.write(out, ack);
    }

    // HL7's default is ASCII, which UTF-8 reads the same; MSH-18 "8859/1" asks for Latin-1
    private static Charset charsetOf(byte[] frame) {
        Er7 latin = Er7.of(new String(frame, StandardCharsets.ISO_8859_1));
        return latin.msh(18).startsWith("8859/1") ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        down(true);
        connections.shutdownNow();
    }
}
