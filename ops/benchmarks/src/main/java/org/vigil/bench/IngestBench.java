package org.vigil.bench;

import io.nats.client.Connection;
import io.nats.client.ConsumeOptions;
import io.nats.client.IterableConsumer;
import io.nats.client.JetStreamManagement;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.vigil.core.DeviceReading;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.simulator.BackfillSource;
import org.vigil.simulator.ConnectionSource;
import org.vigil.simulator.Fleet;
import org.vigil.simulator.FleetSeeder;
import org.vigil.simulator.JetStreamPublisher;
import org.vigil.simulator.PublishCounters;
import org.vigil.simulator.PublishSettings;
import org.vigil.simulator.PublishStats;
import org.vigil.simulator.ReadingGenerator;
import org.vigil.simulator.SimDevice;
import org.vigil.simulator.SimMessage;
import ru.yandex.clickhouse.ClickHouseConnection;
import ru.yandex.clickhouse.ClickHouseStatement;
import ru.yandex.clickhouse.domain.ClickHouseFormat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes the same K readings three ways and compares:
 * <ol>
 *   <li>raw JetStream: async publish into a plain stream while one pull consumer acknowledges each message;</li>
 *   <li>raw ClickHouse: the same rows inserted with RowBinary batches, nothing else;</li>
 *   <li>end to end: published on tenant subjects, consumed, resolved to patients and committed by the backend.</li>
 * </ol>
 * Absolute rates on these machines are noisy; the ratio to the slower baseline is the figure to watch.
 */
final class IngestBench {
    private static final String TENANT = "bench";

    private final BenchEnv env;
    private final long count;
    private final int patients;
    private final int batch;
    private final Path appJar;

    IngestBench(BenchEnv env, long count, int patients, int batch, Path appJar) {
        this.env = env;
        this.count = count;
        this.patients = patients;
        this.batch = batch;
        this.appJar = appJar;
    }

    void run() throws Exception {
        TenantId tenant = new TenantId(TENANT);
        Fleet fleet = Fleet.generate(tenant, patients, 42);
        say("Generating %,d readings for %,d patients (%,d devices)…", count, patients, fleet.devices().size());
        List<SimMessage> messages = new ArrayList<>((int) count);
        long g0 = System.nanoTime();
        new BackfillSource(ReadingGenerator.standard(fleet), count, Instant.now().truncatedTo(ChronoUnit.HOURS), Duration.ofDays(30))
                .forEachRemaining(messages::add);
        // Generating up front keeps the simulator's own cost out of every figure below; its rate is shown so a
        // slow generator would be noticed.
        double generation = count / ((System.nanoTime() - g0) / 1e9);
        say("simulator generation (one thread, cold JIT): %,.0f msgs/s", generation);
        long rows = messages.stream().mapToLong(m -> m.reading().measurements().size()).sum();

        try (Backend backend = Backend.start(appJar)) {
            say("Backend pid %d (log %s); schema in place.", backend.pid(), backend.log());
            double jetStream = rawJetStream(messages);
            say("raw JetStream publish+consume: %,.0f msgs/s", jetStream);
            double clickHouse = rawClickHouse(messages, fleet);
            say("raw ClickHouse RowBinary insert: %,.0f readings/s", clickHouse);

            say("Seeding tenant '%s'…", TENANT);
            new FleetSeeder(ConnectionSource.of(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword())).seed(fleet, "Benchmark");
            long before = countRows("vigil", "readings", TENANT);
            long t0 = System.nanoTime();
            PublishStats published = publish(messages);
            double publishSeconds = (System.nanoTime() - t0) / 1e9;
            long target = before + rows;
            long stored;
            long lastLog = System.nanoTime();
            while ((stored = countRows("vigil", "readings", TENANT)) < target) {
                if (System.nanoTime() - t0 > Duration.ofMinutes(20).toNanos()) {
                    throw new IllegalStateException("end to end did not complete: " + (stored - before) + " of " + rows + " rows");
                }
                if (System.nanoTime() - lastLog > 5e9) {
                    say("  … %,d of %,d rows committed", stored - before, rows);
                    lastLog = System.nanoTime();
                }
                Thread.sleep(50);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double endToEnd = count / seconds;
            double slower = Math.min(jetStream, clickHouse);
            String slowerName = jetStream <= clickHouse ? "JetStream" : "ClickHouse";
            long rss = backend.peakRss();

            System.out.println();
            System.out.printf("Vigil ingest benchmark: %,d readings (%,d rows), %d patients, batch %,d, %d cores%n",
                    count, rows, patients, batch, Runtime.getRuntime().availableProcessors());
            System.out.printf("  %-46s %,12.0f readings/s%n", "baseline: raw JetStream publish + consume", jetStream);
            System.out.printf("  %-46s %,12.0f readings/s (%,.0f rows/s)%n", "baseline: raw ClickHouse RowBinary inserts",
                    clickHouse, clickHouse * rows / count);
            System.out.printf("  %-46s %,12.0f readings/s (%.1f s; publishing took %.1f s, %s)%n",
                    "end to end: published -> committed in ClickHouse", endToEnd, seconds, publishSeconds, published.summary());
            System.out.printf("  %-46s %12.2f  (vs %s)%n", "ratio to the slower baseline", endToEnd / slower, slowerName);
            System.out.printf("  %-46s %,12.0f MB%n", "backend peak RSS (VmHWM)", rss / 1e6);
        }
    }

    private double rawJetStream(List<SimMessage> messages) throws Exception {
        String stream = "BENCH_RAW";
        try (Connection nats = Nats.connect(env.natsUrl())) {
            JetStreamManagement jsm = nats.jetStreamManagement();
            if (jsm.getStreamNames().contains(stream)) {
                jsm.deleteStream(stream);
            }
            jsm.addStream(StreamConfiguration.builder().name(stream).subjects("bench.raw.>")
                    .storageType(StorageType.File).duplicateWindow(Duration.ofMinutes(10)).build());
            jsm.addOrUpdateConsumer(stream, ConsumerConfiguration.builder().durable("raw")
                    .ackPolicy(AckPolicy.Explicit).maxAckPending(40_000).build());
            List<SimMessage> raw = new ArrayList<>(messages.size());
            for (SimMessage m : messages) {
                raw.add(new SimMessage("bench.raw." + m.subject().substring(m.subject().lastIndexOf('.') + 1), m.msgId(), m.payload(), m.reading()));
            }
            AtomicLong consumed = new AtomicLong();
            IterableConsumer consumer = nats.getConsumerContext(stream, "raw").iterate(ConsumeOptions.builder().batchSize(1000).build());
            Thread reader = new Thread(() -> {
                try {
                    while (consumed.get() < raw.size()) {
                        Message msg = consumer.nextMessage(100);
                        if (msg != null) {
                            msg.ack();
                            consumed.incrementAndGet();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }, "bench-raw-consumer");
            long t0 = System.nanoTime();
            reader.start();
            publish(raw);
            reader.join();
            double seconds = (System.nanoTime() - t0) / 1e9;
            consumer.stop();
            jsm.deleteStream(stream);
            return raw.size() / seconds;
        }
    }

    private PublishStats publish(List<SimMessage> messages) throws Exception {
        try (Connection nats = Nats.connect(env.natsUrl())) {
            JetStreamPublisher publisher = new JetStreamPublisher(nats.jetStream(), nats.jetStreamManagement(),
                    PublishSettings.defaults(), line -> { });
            PublishStats stats = publisher.publish(messages.iterator(), new PublishCounters());
            if (stats.failed() > 0) {
                throw new IllegalStateException("publishing failed for " + stats.failed() + " messages: " + stats.summary());
            }
            return stats;
        }
    }

    /** The columns the backend's store writes, in its order (ClickHouseReadingStore). */
    private static final String COLUMNS = "tenant_id, patient_id, device_id, code, panel, value, unit, original_value, "
            + "original_unit, effective, effective_ms, received, received_ms, device_time, device_time_ms, source_format, "
            + "flags, raw_ref, content_hash";

    /** The same rows the backend writes, straight into a copy of the readings table. */
    private double rawClickHouse(List<SimMessage> messages, Fleet fleet) throws Exception {
        Map<String, UUID> patientOf = new HashMap<>();
        for (SimDevice d : fleet.devices()) {
            patientOf.put(d.identifier(), d.patientId());
        }
        Instant received = Instant.now();
        try (ClickHouseConnection c = (ClickHouseConnection) DriverManager.getConnection(env.clickHouseJdbc("default"));
             ClickHouseStatement st = c.createStatement()) {
            st.execute("CREATE DATABASE IF NOT EXISTS bench_raw");
            st.execute("DROP TABLE IF EXISTS bench_raw.readings");
            st.execute("CREATE TABLE bench_raw.readings AS vigil.readings");
            long t0 = System.nanoTime();
            for (int from = 0; from < messages.size(); from += batch) {
                List<SimMessage> slice = messages.subList(from, Math.min(messages.size(), from + batch));
                st.write().send("INSERT INTO bench_raw.readings (" + COLUMNS + ")", out -> {
                    for (SimMessage m : slice) {
                        DeviceReading r = m.reading();
                        byte[] hash = m.msgId().getBytes(StandardCharsets.US_ASCII);
                        Instant eff = Instant.parse(r.effective());
                        List<Measurement> ms = r.measurements();
                        String panel = r.components() == null ? "" : r.code();
                        for (Measurement x : ms) {
                            out.writeString(TENANT);
                            out.writeUUID(patientOf.get(r.device()));
                            out.writeString(r.device());
                            out.writeString(x.code());
                            out.writeString(panel);
                            out.writeFloat64(x.value());
                            out.writeString(x.unit());
                            out.writeFloat64(x.value());
                            out.writeString(x.unit());
                            out.writeUInt32(eff.getEpochSecond());
                            out.writeUInt16(eff.getNano() / 1_000_000);
                            out.writeUInt32(received.getEpochSecond());
                            out.writeUInt16(0);
                            out.writeUInt32(eff.getEpochSecond());
                            out.writeUInt16(eff.getNano() / 1_000_000);
                            out.writeString("canonical");
                            out.writeUnsignedLeb128(0);
                            out.writeString("bench");
                            out.writeBytes(hash);
                        }
                    }
                }, ClickHouseFormat.RowBinary);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            st.execute("DROP TABLE bench_raw.readings");
            return messages.size() / seconds;
        }
    }

    private long countRows(String database, String table, String tenant) throws Exception {
        try (java.sql.Connection c = DriverManager.getConnection(env.clickHouseJdbc(database));
             Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT count() FROM " + table + " WHERE tenant_id = '" + tenant + "'")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void say(String format, Object... args) {
        System.out.printf(format + "%n", args);
    }
}
