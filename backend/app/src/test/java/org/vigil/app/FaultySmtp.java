package org.vigil.app;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An SMTP server that fails on demand, in front of a real one (GreenMail): it relays the dialogue unchanged, or
 * stops answering once a recipient of a given domain is named (a relay stuck on one mailbox: the client waits for
 * its read timeout), or answers every connection with one reply and hangs up (421: try later; 554: go away). What it
 * does is decided when a connection is accepted, so a change applies to the next attempt.
 */
final class FaultySmtp implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "faulty-smtp");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger hanging = new AtomicInteger();
    private volatile Behaviour behaviour = new Behaviour(null, null);

    /**
     * @param reply        the greeting every connection gets before it is closed; null: relay
     * @param hangOnDomain while relaying, a recipient at this domain gets no answer; null: none
     */
    private record Behaviour(String reply, String hangOnDomain) {
    }

    FaultySmtp(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Dialogues held without an answer right now. */
    int hanging() {
        return hanging.get();
    }

    /** Works: everything reaches the real server. */
    void relay() {
        behaviour = new Behaviour(null, null);
    }

    /** Relays, but never answers the RCPT of an address at {@code domain}. */
    void hangOnRecipientsAt(String domain) {
        behaviour = new Behaviour(null, domain.toLowerCase(Locale.ROOT));
    }

    /** Greets every connection with {@code reply} (e.g. "421 4.3.2 Service not available") and hangs up. */
    void answerEverything(String reply) {
        behaviour = new Behaviour(reply, null);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Behaviour b = behaviour;
                open.add(client);
                threads.execute(() -> serve(client, b));
            } catch (IOException e) {
                return;  // closed
            }
        }
    }

    private void serve(Socket client, Behaviour b) {
        try (client) {
            InputStream in = client.getInputStream();
            if (b.reply() != null) {
                client.getOutputStream().write((b.reply() + "\r\n").getBytes(StandardCharsets.US_ASCII));
                client.getOutputStream().flush();
                return;
            }
            try (Socket upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort)) {
                open.add(upstream);
                try {
                    relay(in, upstream, client, b.hangOnDomain());
                } finally {
                    open.remove(upstream);
                }
            }
        } catch (IOException e) {
            // the client or the real server hung up: the dialogue is over
        } finally {
            open.remove(client);
        }
    }

    private void relay(InputStream in, Socket upstream, Socket client, String hangOnDomain) throws IOException {
        threads.execute(() -> pump(upstream, client));
        OutputStream toServer = upstream.getOutputStream();
        byte[] line;
        while ((line = readLine(in)) != null) {
            String text = new String(line, StandardCharsets.ISO_8859_1).toLowerCase(Locale.ROOT);
            if (hangOnDomain != null && text.startsWith("rcpt to:") && text.contains("@" + hangOnDomain)) {
                hold(in);
                return;
            }
            toServer.write(line);
            toServer.flush();
        }
    }

    /** Reads and ignores what the client sends until it gives up and closes. */
    private void hold(InputStream in) throws IOException {
        hanging.incrementAndGet();
        try {
            while (in.read() >= 0) {
                // waiting for the client's timeout
            }
        } finally {
            hanging.decrementAndGet();
        }
    }

    private static void pump(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // either side closed
        }
    }

    /** One line including its CRLF, or null at the end of the stream. */
    private static byte[] readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            if (c == '\n') {
                return b.toByteArray();
            }
        }
        return b.size() == 0 ? null : b.toByteArray();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            s.close();
        }
        threads.shutdownNow();
    }
}
