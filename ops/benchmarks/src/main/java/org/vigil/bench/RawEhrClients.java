package org.vigil.bench;

import org.vigil.edge.mllp.MllpFraming;
import org.vigil.ehr.hl7.Ack;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The EHR benchmark's baseline: payloads rendered beforehand, sent straight to the sandbox EHR with nothing in
 * between (no outbox, no database, no rendering on the clock), from as many threads or connections as the
 * dispatcher has sends in flight. Each counts what the EHR refused instead of hiding it.
 */
final class RawEhrClients {
    static final String JSON = "application/fhir+json";

    private RawEhrClients() {
    }

    /** One FHIR request: a body carrying {@code items} Observations, and for a single create its If-None-Exist (else null). */
    record Request(String url, String body, String ifNoneExist, int items) {
    }

    /** The requests from {@code threads} threads, each sending its next one when the last was answered. */
    static EhrBench.Rate fhir(HttpClient http, List<Request> requests, String bearer, int threads) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long t0 = System.nanoTime();
        parallel("bench-ehr-fhir", threads, () -> {
            int i;
            while ((i = next.getAndIncrement()) < requests.size()) {
                Request q = requests.get(i);
                HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(q.url())).timeout(Duration.ofSeconds(30))
                        .header("Authorization", "Bearer " + bearer).header("Accept", JSON)
                        .header("Content-Type", JSON + "; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(q.body(), StandardCharsets.UTF_8));
                if (q.ifNoneExist() != null) {
                    b.header("If-None-Exist", q.ifNoneExist());
                }
                HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                if (r.statusCode() / 100 != 2) {
                    failed.addAndGet(q.items());
                }
            }
        });
        return new EhrBench.Rate(requests.stream().mapToInt(Request::items).sum(), (System.nanoTime() - t0) / 1e9, failed.get());
    }

    /**
     * The messages over {@code connections} connections to 127.0.0.1:{@code port}, each keeping up to {@code window}
     * unacknowledged (1: every ACK before the next message). An ACK that is not AA, or not for the message
     * expected next, counts as failed.
     */
    static EhrBench.Rate mllp(int port, List<byte[]> messages, int window, int connections) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        long t0 = System.nanoTime();
        parallel("bench-ehr-mllp", connections, () -> {
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setTcpNoDelay(true);
                socket.setSoTimeout(30_000);
                OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                PushbackInputStream in = new PushbackInputStream(new BufferedInputStream(socket.getInputStream()), 1);
                ArrayDeque<String> unacknowledged = new ArrayDeque<>();
                while (true) {
                    int i;
                    while (unacknowledged.size() < window && (i = next.getAndIncrement()) < messages.size()) {
                        byte[] m = messages.get(i);
                        out.write(0x0b);
                        out.write(m);
                        out.write(0x1c);
                        out.write(0x0d);
                        unacknowledged.add(controlId(m));
                    }
                    if (unacknowledged.isEmpty()) {
                        return;
                    }
                    out.flush();
                    byte[] frame = MllpFraming.read(in, 64 * 1024);
                    if (frame == null) {
                        throw new IOException("the sandbox closed the connection with " + unacknowledged.size() + " unacknowledged");
                    }
                    Ack ack = Ack.parse(new String(frame, StandardCharsets.UTF_8));
                    if (!ack.accepted() || !ack.controlId().equals(unacknowledged.poll())) {
                        failed.incrementAndGet();
                    }
                }
            }
        });
        return new EhrBench.Rate(messages.size(), (System.nanoTime() - t0) / 1e9, failed.get());
    }

    /** MSH-10 of an ER7 message: the tenth field of its first segment. */
    static String controlId(byte[] message) {
        String msh = new String(message, 0, Math.min(message.length, 512), StandardCharsets.UTF_8).split("\r", 2)[0];
        return msh.split("\\|", -1)[9];
    }

    private interface Work {
        void run() throws Exception;
    }

    /** {@code n} threads doing {@code work}; the first failure is thrown once all have ended. */
    private static void parallel(String name, int n, Work work) throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int c = 0; c < n; c++) {
            Thread t = new Thread(() -> {
                try {
                    work.run();
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, name + "-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the baseline failed: " + failures.get(0), failures.get(0));
        }
    }
}
