package org.vigil.edge.mllp;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One MLLP port: a thread accepts connections, and each connection gets a thread that reads a message, answers it
 * and reads the next, as MLLP senders expect (one outstanding message per connection, the ACK before the next).
 * Framing is ours rather than HAPI's server: HAPI parses every message with its own parser before an application
 * sees it and answers parse failures itself (no dead letter, no ERR location of ours), hands over a decoded String
 * instead of the bytes that must go on the stream unchanged, and takes TLS material from JVM-wide properties where
 * each listener needs its own keystore and client-certificate policy.
 */
final class MllpListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MllpListener.class);

    private final MllpListenerSettings settings;
    private final Hl7Receiver receiver;
    private final ServerSocket server;
    private final ExecutorService connections;
    private final Semaphore slots;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;
    private volatile boolean closed;

    private MllpListener(MllpListenerSettings settings, Hl7Receiver receiver, ServerSocket server) {
        this.settings = settings;
        this.receiver = receiver;
        this.server = server;
        this.slots = new Semaphore(settings.maxConnections());
        AtomicInteger n = new AtomicInteger();
        this.connections = Executors.newCachedThreadPool(r -> daemon(r, "mllp-" + settings.name() + "-" + n.incrementAndGet()));
        this.acceptor = daemon(this::accept, "mllp-" + settings.name() + "-accept");
    }

    static MllpListener start(MllpListenerSettings settings, Hl7Receiver receiver) throws IOException, GeneralSecurityException {
        ServerSocket server;
        if (settings.tls()) {
            SSLServerSocket tls = (SSLServerSocket) MllpTls.context(settings).getServerSocketFactory().createServerSocket();
            tls.setNeedClientAuth(settings.clientCertificates());
            server = tls;
        } else {
            server = new ServerSocket();
        }
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(settings.host(), settings.port()), 64);
        } catch (IOException e) {
            server.close();
            throw new IOException("MLLP listener '" + settings.name() + "' cannot listen on " + settings.host() + ":"
                    + settings.port() + ": " + e.getMessage(), e);
        }
        MllpListener listener = new MllpListener(settings, receiver, server);
        listener.acceptor.start();
        return listener;
    }

    /** The bound port (the configured one, or the one the system chose for port 0). */
    int port() {
        return server.getLocalPort();
    }

    private void accept() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("MLLP listener '{}' could not accept a connection: {}", settings.name(), e.toString());
                }
                continue;
            }
            if (!slots.tryAcquire()) {
                LOG.warn("MLLP listener '{}' refuses a connection from {}: {} connections are open", settings.name(),
                        socket.getRemoteSocketAddress(), settings.maxConnections());
                closeQuietly(socket);
                continue;
            }
            open.add(socket);
            try {
                connections.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                open.remove(socket);
                slots.release();
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        int max = settings.maxMessageBytes();
        try (socket) {
            socket.setSoTimeout((int) Math.min(Integer.MAX_VALUE, settings.idleTimeout().toMillis()));
            socket.setTcpNoDelay(true);
            if (socket instanceof SSLSocket tls) {
                tls.startHandshake();
            }
            PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(socket.getInputStream()), 1);
            OutputStream out = new BufferedOutputStream(socket.getOutputStream());
            while (!closed) {
                byte[] ack;
                try {
                    byte[] message = MllpFraming.read(in, max);
                    if (message == null) {
                        return;
                    }
                    ack = receiver.receive(message);
                } catch (MllpFraming.TooLarge e) {
                    ack = receiver.tooLarge(e.head(), max);
                }
                MllpFraming.write(out, ack);
            }
        } catch (SocketTimeoutException e) {
            LOG.debug("MLLP listener '{}': {} idle, closed", settings.name(), socket.getRemoteSocketAddress());
        } catch (SSLException e) {
            LOG.info("MLLP listener '{}': TLS with {} failed: {}", settings.name(), socket.getRemoteSocketAddress(), e.getMessage());
        } catch (IOException e) {
            if (!closed) {
                LOG.debug("MLLP listener '{}': connection from {} ended: {}", settings.name(), socket.getRemoteSocketAddress(), e.toString());
            }
        } catch (RuntimeException e) {
            // Unanswered, the sender keeps the message and resends it; the bug is in the log.
            LOG.error("MLLP listener '{}' failed on a message from {}; the connection is closed", settings.name(),
                    socket.getRemoteSocketAddress(), e);
        } finally {
            open.remove(socket);
            slots.release();
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(server);
        open.forEach(MllpListener::closeQuietly);
        connections.shutdown();
        try {
            if (!connections.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("MLLP listener '{}': connections still busy after 5 s at shutdown", settings.name());
            }
            acceptor.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out: nothing left to tell anyone
        }
    }
}
