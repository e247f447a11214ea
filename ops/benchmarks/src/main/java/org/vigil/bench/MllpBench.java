package org.vigil.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.PublishOptions;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * HL7 v2 over MLLP end to end: N IHE PCD-01 messages (a blood pressure panel and a pulse rate each, unique control
 * ids and times) sent over C connections to a running backend's MLLP listener. Each connection has one message
 * outstanding, as MLLP senders do, and an AA means the message is durably on JetStream, so messages/s here is
 * "stored on the stream and acknowledged". The baseline, in the same run on the same NATS server, is the same bytes
 * published synchronously to a plain stream from C threads: what the listener adds on top (framing, decoding, the
 * PCD-01 profile check, the ACK) is the difference.
 * <p>
 * Needs: the backend started with an MLLP listener for the tenant ({@code vigil.mllp.listeners.<name>.tenant} and
 * {@code .port}, e.g. through {@code Backend.start(appJar, properties)}), and, so that the ingest stage stores the
 * readings rather than dead-lettering them as UNKNOWN_DEVICE, a device with serial {@link #DEVICE} registered in
 * that tenant and assigned to a patient. The ACK figures do not depend on it (the edge acknowledges before
 * device resolution), but dead-lettering costs the backend more than storing.
 */
final class MllpBench {
    /** The cuff's EUI-64 in every message (the MDS OBX-18): register it as a device's serial. */
    static final String DEVICE = "0123456789ABCDEF";
    /** The gateway's EUI-64 (MSH-3): the ingest subject is {@code vigil.<tenant>.ingest.hl7v2.ACDE48234567ABCD}. */
    static final String GATEWAY = "ACDE48234567ABCD";
    private static final DateTimeFormatter HL7_TIME = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HL7_TIME_MS = DateTimeFormatter.ofPattern("yyyyMMddHHmmss.SSSZ").withZone(ZoneOffset.UTC);
    private static final String RAW_STREAM = "BENCH_MLLP_RAW";

    /**
     * @param rawJetStreamPerSecond the baseline: the same bytes, synchronous publishes from as many threads
     * @param p50Millis             median time from sending a message to reading its ACK
     */
    record Result(int messages, int connections, int accepted, int refused, double endToEndPerSecond,
                  double rawJetStreamPerSecond, double p50Millis, double p99Millis) {

        String summary() {
            return String.format("HL7 v2 over MLLP: %,d messages on %d connections: %,.0f msgs/s acknowledged AA after "
                            + "JetStream stored them (ACK latency p50 %.1f ms, p99 %.1f ms; %,d AA, %,d not AA); "
                            + "raw synchronous JetStream publishes of the same bytes: %,.0f msgs/s; ratio %.2f",
                    messages, connections, endToEndPerSecond, p50Millis, p99Millis, accepted, refused,
                    rawJetStreamPerSecond, endToEndPerSecond / rawJetStreamPerSecond);
        }
    }

    private final BenchEnv env;
    private final String host;
    private final int port;

    /** @param host and {@code port}: where the backend's MLLP listener for the benchmark tenant listens */
    MllpBench(BenchEnv env, String host, int port) {
        this.env = env;
        this.host = host;
        this.port = port;
    }

    /**
     * Sends {@code messages} messages (after a short warm-up of its own, not counted) over {@code connections}
     * connections, then publishes the same bytes to the baseline stream. Throws if a connection breaks; messages
     * answered AE/AR are counted in {@link Result#refused()}, not hidden.
     */
    Result run(int messages, int connections) throws Exception {
        int warmUp = Math.min(1_000, Math.max(connections, messages / 10));
        String runId = Long.toString(System.currentTimeMillis(), 36).toUpperCase();
        // one second apart, at a millisecond of this run's own: runs overlap in time, their readings must not
        // collide with the previous run's (equal readings are stored once, by design)
        Instant first = Instant.now().minusSeconds(messages + warmUp + 60L).truncatedTo(ChronoUnit.SECONDS)
                .plusMillis(Math.floorMod(System.nanoTime(), 1000));
        List<byte[]> warm = generate("W" + runId, warmUp, first);
        List<byte[]> measured = generate("M" + runId, messages, first.plusSeconds(warmUp));

        send(warm, connections, new long[warm.size()]);
        long[] latencies = new long[measured.size()];
        long t0 = System.nanoTime();
        int accepted = send(measured, connections, latencies);
        double endToEnd = measured.size() / ((System.nanoTime() - t0) / 1e9);

        double raw = rawJetStream(measured, connections);
        Latencies acks = Latencies.ofNanos(latencies);
        return new Result(messages, connections, accepted, messages - accepted, endToEnd, raw, acks.p50(), acks.p99());
    }

    private static List<byte[]> generate(String prefix, int count, Instant first) {
        List<byte[]> out = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            // PCD-01 profiles allow 20 characters in MSH-10
            String controlId = prefix + "-" + i;
            out.add(pcd01Message(controlId.length() > 20 ? controlId.substring(controlId.length() - 20) : controlId,
                    first.plusSeconds(i)).getBytes(StandardCharsets.ISO_8859_1));
        }
        return out;
    }

    /** Sends every message once; returns how many were answered AA. */
    private int send(List<byte[]> messages, int connections, long[] latencies) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger();
        List<Thread> threads = new ArrayList<>();
        List<Exception> failures = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread t = new Thread(() -> {
                try (Socket socket = new Socket(host, port)) {
                    socket.setTcpNoDelay(true);
                    socket.setSoTimeout(30_000);
                    OutputStream out = new BufferedOutputStream(socket.getOutputStream());
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    int i;
                    while ((i = next.getAndIncrement()) < messages.size()) {
                        long start = System.nanoTime();
                        out.write(0x0b);
                        out.write(messages.get(i));
                        out.write(0x1c);
                        out.write(0x0d);
                        out.flush();
                        String ack = readFrame(in);
                        latencies[i] = System.nanoTime() - start;
                        if (ack.contains("\rMSA|AA|")) {
                            accepted.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            }, "bench-mllp-" + c);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("MLLP connection to " + host + ":" + port + " failed: " + failures.get(0), failures.get(0));
        }
        return accepted.get();
    }

    private static String readFrame(InputStream in) throws IOException {
        int b;
        while ((b = in.read()) != 0x0b) {
            if (b < 0) {
                throw new IOException("the listener closed the connection before acknowledging");
            }
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream(512);
        while ((b = in.read()) != 0x1c) {
            if (b < 0) {
                throw new IOException("the listener closed the connection inside an ACK");
            }
            frame.write(b);
        }
        in.read();
        return frame.toString(StandardCharsets.ISO_8859_1);
    }

    /** The same bytes, published and confirmed one at a time per thread into a plain file stream. */
    private double rawJetStream(List<byte[]> messages, int threads) throws Exception {
        try (Connection nats = Nats.connect(env.natsUrl())) {
            JetStreamManagement jsm = nats.jetStreamManagement();
            if (jsm.getStreamNames().contains(RAW_STREAM)) {
                jsm.deleteStream(RAW_STREAM);
            }
            jsm.addStream(StreamConfiguration.builder().name(RAW_STREAM).subjects("bench.mllp.raw.>")
                    .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(2)).build());
            JetStream js = nats.jetStream();
            AtomicInteger next = new AtomicInteger();
            AtomicLong failures = new AtomicLong();
            List<Thread> workers = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int c = 0; c < threads; c++) {
                Thread t = new Thread(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < messages.size()) {
                        try {
                            js.publish("bench.mllp.raw." + GATEWAY, null, messages.get(i),
                                    PublishOptions.builder().messageId("raw-" + i).streamTimeout(Duration.ofSeconds(5)).build());
                        } catch (Exception e) {
                            failures.incrementAndGet();
                        }
                    }
                }, "bench-raw-js-" + c);
                workers.add(t);
                t.start();
            }
            for (Thread t : workers) {
                t.join();
            }
            double rate = messages.size() / ((System.nanoTime() - t0) / 1e9);
            jsm.deleteStream(RAW_STREAM);
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " raw JetStream publishes failed");
            }
            return rate;
        }
    }

    /**
     * A PCD-01 message as a home gateway sends it for a blood pressure cuff: the cuff's MDS with its EUI-64, the
     * NIBP compound with systolic, diastolic and mean, and the cuff's pulse rate, measured at {@code taken}.
     * Conformant to the IHE PCD-01 profile; values vary with the control id.
     */
    static String pcd01Message(String controlId, Instant taken) {
        int h = Math.floorMod(controlId.hashCode(), 1_000);
        int sys = 105 + h % 50;
        int dia = 65 + h % 30;
        int mean = dia + (sys - dia) / 3;
        int pulse = 55 + h % 40;
        String at = HL7_TIME_MS.format(taken);
        return String.join("\r",
                "MSH|^~\\&|VigilBench^" + GATEWAY + "^EUI-64||||" + HL7_TIME.format(Instant.now()) + "||ORU^R01^ORU_R01|"
                        + controlId + "|P|2.6|||NE|AL|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO",
                "PID|||BENCH-789567^^^Vigil Bench^PI||Doe^John^Joseph^^^^L^A|||M",
                "OBR|1|" + controlId + "^VigilBench^" + GATEWAY + "^EUI-64|" + controlId + "^VigilBench^" + GATEWAY
                        + "^EUI-64|528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||" + at,
                "OBX|1||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|1|||||||R|||||||" + DEVICE + "^EUI-64",
                "OBX|2||150020^MDC_PRESS_BLD_NONINV^MDC|1.0.1|||||||R|||" + at,
                "OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|" + sys + "|266016^MDC_DIM_MMHG^MDC|||||R",
                "OBX|4|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.1.2|" + dia + "|266016^MDC_DIM_MMHG^MDC|||||R",
                "OBX|5|NM|150023^MDC_PRESS_BLD_NONINV_MEAN^MDC|1.0.1.3|" + mean + "|266016^MDC_DIM_MMHG^MDC|||||R",
                "OBX|6|NM|149546^MDC_PULS_RATE_NON_INV^MDC|1.0.0.1|" + pulse + "|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||" + at) + "\r";
    }
}
