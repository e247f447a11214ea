package org.vigil.simulator;

import io.nats.client.JetStream;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import io.nats.client.impl.NatsMessage;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;

import java.io.IOException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JetStreamPublisherTest {
    private static final TenantId DEMO = new TenantId("demo");

    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final Sleeper fakeSleep = clock::addAndGet;
    private final List<String> log = new ArrayList<>();

    /** A JetStream that answers publishAsync with whatever {@code behaviour} returns; nothing else is used. */
    private static JetStream jetStream(Function<Headers, CompletableFuture<PublishAck>> behaviour) {
        return (JetStream) Proxy.newProxyInstance(JetStream.class.getClassLoader(), new Class<?>[]{JetStream.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("publishAsync") && args.length == 3 && args[1] instanceof Headers h) {
                        return behaviour.apply(h);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    private static JetStreamManagement management(Function<String, List<String>> streamNames) {
        return (JetStreamManagement) Proxy.newProxyInstance(JetStreamManagement.class.getClassLoader(),
                new Class<?>[]{JetStreamManagement.class}, (proxy, method, args) -> {
                    if (method.getName().equals("getStreamNames") && args != null && args.length == 1) {
                        return streamNames.apply((String) args[0]);
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
    }

    static PublishAck ack(long seq, boolean duplicate) {
        String json = "{\"stream\":\"READINGS\",\"seq\":" + seq + ",\"duplicate\":" + duplicate + "}";
        try {
            return new PublishAck(new NatsMessage("_INBOX.x", null, json.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException | io.nats.client.JetStreamApiException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Iterator<SimMessage> messages(int n) {
        ReadingGenerator g = new ReadingGenerator(Fleet.generate(DEMO, 5, 42), new Physiology(), new ReadingEncoder(DEMO));
        return new BackfillSource(g, n, Instant.parse("2026-11-21T00:00:00Z"), Duration.ofDays(7));
    }

    private JetStreamPublisher publisher(JetStream js, PublishSettings settings) {
        return new JetStreamPublisher(js, management(s -> List.of("READINGS")), settings, fakeSleep, clock::get, log::add);
    }

    @Test
    void countsAcksAndServerSideDuplicates() {
        Set<String> stored = new HashSet<>();
        AtomicLong seq = new AtomicLong();
        JetStream js = jetStream(h -> CompletableFuture.completedFuture(
                ack(seq.incrementAndGet(), !stored.add(h.getFirst(JetStreamPublisher.MSG_ID_HEADER)))));
        JetStreamPublisher publisher = publisher(js, PublishSettings.defaults());

        PublishStats first = publisher.publish(messages(1_000), new PublishCounters());
        PublishStats again = publisher.publish(messages(1_000), new PublishCounters());

        assertEquals(1_000, first.published());
        assertEquals(1_000, first.acked());
        assertEquals(0, first.duplicates());
        assertEquals(1_000, again.acked());
        assertEquals(1_000, again.duplicates(), "the same backfill again is deduplicated by Nats-Msg-Id");
        assertEquals(0, again.failed());
    }

    @Test
    void neverHasMoreThanTheWindowInFlight() {
        AtomicInteger outstanding = new AtomicInteger();
        AtomicInteger max = new AtomicInteger();
        AtomicLong seq = new AtomicLong();
        JetStream js = jetStream(h -> {
            max.accumulateAndGet(outstanding.incrementAndGet(), Math::max);
            // an ack that arrives only when someone waits for it: worst case for the window
            return new CompletableFuture<>() {
                @Override
                public PublishAck get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
                    if (complete(ack(seq.incrementAndGet(), false))) {
                        outstanding.decrementAndGet();
                    }
                    return super.get(timeout, unit);
                }
            };
        });
        PublishStats stats = publisher(js, PublishSettings.defaults().withMaxInFlight(64)).publish(messages(5_000), new PublishCounters());
        assertEquals(5_000, stats.acked());
        assertEquals(64, max.get());
    }

    @Test
    void retriesFailedAttemptsWithBackoffAndReportsWhatNeverSucceeded() {
        Map<String, Integer> attempts = new HashMap<>();
        AtomicLong seq = new AtomicLong();
        List<String> poisoned = new ArrayList<>();
        JetStream js = jetStream(h -> {
            String id = h.getFirst(JetStreamPublisher.MSG_ID_HEADER);
            int attempt = attempts.merge(id, 1, Integer::sum);
            boolean flaky = Math.floorMod(id.hashCode(), 10) == 0;
            boolean poison = Math.floorMod(id.hashCode(), 97) == 1;
            if (poison && !poisoned.contains(id)) {
                poisoned.add(id);
            }
            if (poison || (flaky && attempt < 3)) {
                return CompletableFuture.failedFuture(new IOException("503 No Responders Available For Request"));
            }
            return CompletableFuture.completedFuture(ack(seq.incrementAndGet(), false));
        });
        long before = clock.get();
        PublishStats stats = publisher(js, PublishSettings.defaults()).publish(messages(3_000), new PublishCounters());

        assertEquals(3_000, stats.published());
        assertEquals(poisoned.size(), stats.failed(), "every message that never got through is counted");
        assertEquals(3_000 - poisoned.size(), stats.acked());
        assertTrue(stats.retries() > 0);
        assertTrue(!stats.failures().isEmpty() && stats.failures().get(0).contains("No Responders"), stats.failures().toString());
        for (String id : poisoned) {
            assertEquals(4, attempts.get(id), "default: 4 attempts");
        }
        // backoff 250 ms, 500 ms, 1 s before the last attempt
        assertTrue(clock.get() - before >= 1_750, "waited " + (clock.get() - before));
    }

    @Test
    void aPublishThatThrowsCountsAsAFailedAttempt() {
        JetStream js = jetStream(h -> {
            throw new IllegalStateException("Connection is Closed");
        });
        PublishStats stats = publisher(js, PublishSettings.defaults()).publish(messages(10), new PublishCounters());
        assertEquals(10, stats.failed());
        assertEquals(0, stats.acked());
    }

    @Test
    void waitsForTheStreamToAppear() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        JetStreamPublisher publisher = new JetStreamPublisher(jetStream(h -> null),
                management(s -> calls.incrementAndGet() < 4 ? List.of() : List.of("READINGS")),
                PublishSettings.defaults(), fakeSleep, clock::get, log::add);
        assertEquals("READINGS", publisher.awaitStream("vigil.demo.ingest.canonical.x", Duration.ofSeconds(30)));
        assertEquals(4, calls.get());
        assertTrue(log.get(0).contains("vigil.*.ingest.>"), log.toString());
    }

    @Test
    void givesUpOnAMissingStreamWithAClearMessage() {
        JetStreamPublisher publisher = new JetStreamPublisher(jetStream(h -> null), management(s -> List.of()),
                PublishSettings.defaults(), fakeSleep, clock::get, log::add);
        long before = clock.get();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> publisher.awaitStream("vigil.demo.ingest.canonical.x", Duration.ofSeconds(30)));
        assertTrue(e.getMessage().contains("READINGS"), e.getMessage());
        assertTrue(clock.get() - before >= 30_000);
    }
}
