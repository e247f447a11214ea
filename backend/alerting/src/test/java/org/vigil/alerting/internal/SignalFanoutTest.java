package org.vigil.alerting.internal;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.vigil.alerting.AlertSignal;
import org.vigil.core.TenantId;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SignalFanoutTest {
    private static final TenantId A = new TenantId("tenant-a");
    private static final TenantId B = new TenantId("tenant-b");
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stop() {
        pool.shutdownNow();
    }

    private static AlertSignal opened(TenantId t) {
        return new AlertSignal(t, AlertSignal.Kind.OPENED, UUID.randomUUID(), UUID.randomUUID(), "open");
    }

    /** Runs the fanout's deliveries on the caller's thread, so a test sees them as soon as publish returns. */
    private static SignalFanout inline(int maxQueued) {
        return new SignalFanout(Runnable::run, maxQueued);
    }

    @Test
    void aSignalReachesOnlyItsOwnTenantsSubscribers() throws Exception {
        SignalFanout fanout = inline(10);
        fanout.connected(1);
        List<AlertSignal> a = new CopyOnWriteArrayList<>();
        List<AlertSignal> b = new CopyOnWriteArrayList<>();
        fanout.subscribe(A, a::add);
        fanout.subscribe(B, b::add);
        AlertSignal forA = opened(A);
        fanout.publish(forA);
        assertEquals(List.of(forA), a);
        assertEquals(List.of(), b);
    }

    @Test
    void aClosedSubscriptionHearsNothingMore() throws Exception {
        SignalFanout fanout = inline(10);
        fanout.connected(1);
        List<AlertSignal> a = new CopyOnWriteArrayList<>();
        AutoCloseable sub = fanout.subscribe(A, a::add);
        sub.close();
        fanout.publish(opened(A));
        assertEquals(List.of(), a);
        assertEquals(0, fanout.subscribers());
    }

    @Test
    void aThrowingSubscriberDoesNotStopTheOthersNorItsOwnNextSignal() {
        SignalFanout fanout = inline(10);
        fanout.connected(1);
        List<AlertSignal> good = new CopyOnWriteArrayList<>();
        List<AlertSignal> bad = new CopyOnWriteArrayList<>();
        fanout.subscribe(A, s -> {
            bad.add(s);
            throw new IllegalStateException("view detached");
        });
        fanout.subscribe(A, good::add);
        fanout.publish(opened(A));
        fanout.publish(opened(A));
        assertEquals(2, good.size());
        assertEquals(2, bad.size());
    }

    @Test
    void aBlockedSubscriberDelaysNobodyElse() throws Exception {
        SignalFanout fanout = new SignalFanout(pool, 100);
        fanout.connected(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch fastGotBoth = new CountDownLatch(2);
        fanout.subscribe(A, s -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        fanout.subscribe(A, s -> fastGotBoth.countDown());
        fanout.publish(opened(A));
        fanout.publish(opened(A));
        assertTrue(fastGotBoth.await(5, TimeUnit.SECONDS), "the other subscriber got both signals while one was blocked");
        release.countDown();
    }

    @Test
    void signalsArriveInOrderPerSubscriber() throws Exception {
        SignalFanout fanout = new SignalFanout(pool, 10_000);
        fanout.connected(1);
        List<UUID> seen = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(1_000);
        fanout.subscribe(A, s -> {
            seen.add(s.alertId());
            all.countDown();
        });
        List<AlertSignal> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            AlertSignal s = opened(A);
            sent.add(s);
            fanout.publish(s);
        }
        assertTrue(all.await(5, TimeUnit.SECONDS));
        assertEquals(sent.stream().map(AlertSignal::alertId).toList(), seen);
    }

    @Test
    void aSubscriberTooFarBehindGetsOneResyncInsteadOfTheBacklog() throws Exception {
        SignalFanout fanout = new SignalFanout(pool, 5);
        fanout.connected(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch first = new CountDownLatch(1);
        List<AlertSignal> got = new CopyOnWriteArrayList<>();
        fanout.subscribe(A, s -> {
            got.add(s);
            first.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        fanout.publish(opened(A));
        assertTrue(first.await(5, TimeUnit.SECONDS));
        for (int i = 0; i < 20; i++) {   // queued behind the blocked one: more than 5
            fanout.publish(opened(A));
        }
        release.countDown();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline && got.size() < 2) {
            Thread.sleep(10);
        }
        Thread.sleep(100);
        assertTrue(got.size() <= 6, "the backlog was dropped: " + got.size());
        assertTrue(got.stream().anyMatch(s -> s.kind() == AlertSignal.Kind.RESYNC), "told to reload: " + got);
        assertEquals(A, got.get(got.size() - 1).tenant());
    }

    @Test
    void aNewConnectionResyncsWhoeverMayHaveMissedChanges() {
        SignalFanout fanout = inline(10);
        List<AlertSignal> early = new CopyOnWriteArrayList<>();
        fanout.subscribe(A, early::add);             // before any connection listened
        fanout.connected(1);
        List<AlertSignal> late = new CopyOnWriteArrayList<>();
        fanout.subscribe(B, late::add);              // while connection 1 listens: it misses nothing
        assertEquals(List.of(AlertSignal.resync(A)), early);
        assertEquals(List.of(), late);

        fanout.disconnected();
        assertFalse(fanout.listening());
        fanout.connected(2);                         // after a gap both may have missed changes, each its own tenant's resync
        assertEquals(List.of(AlertSignal.resync(A), AlertSignal.resync(A)), early);
        assertEquals(List.of(AlertSignal.resync(B)), late);
        assertTrue(fanout.listening());
    }
}
