package org.vigil.alerting.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertSignal;
import org.vigil.core.TenantId;

import java.util.ArrayDeque;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Hands alert signals to subscribers, each only its own tenant's. Every subscriber has its own queue, drained on
 * the executor one signal at a time and in order, so a slow or throwing subscriber delays nobody else and the
 * listening thread never waits for a subscriber. A subscriber that falls more than {@code maxQueued} signals
 * behind has its queue replaced by one resync: it reloads once instead of replaying what it could not keep up with.
 *
 * <p>Resync after a gap: the listener numbers its connections ({@link #connected(long)}); a subscriber that has not
 * seen the current connection since it subscribed may have missed changes while no connection listened, and is sent
 * a resync when one does.
 */
public final class SignalFanout {
    private static final Logger LOG = LoggerFactory.getLogger(SignalFanout.class);
    /** No connection is listening. */
    private static final long NOT_LISTENING = -1;

    private final Executor executor;
    private final int maxQueued;
    private final Map<TenantId, Set<Subscription>> byTenant = new ConcurrentHashMap<>();
    private final Object epochLock = new Object();
    private long epoch = NOT_LISTENING;

    public SignalFanout(Executor executor, int maxQueued) {
        this.executor = executor;
        this.maxQueued = maxQueued;
    }

    public AutoCloseable subscribe(TenantId tenant, Consumer<AlertSignal> consumer) {
        Subscription s = new Subscription(tenant, consumer);
        // Under the lock so that a connection coming up meanwhile either counts this subscriber as having seen it or
        // sends it a resync, never neither.
        synchronized (epochLock) {
            s.epoch = epoch;
            byTenant.computeIfAbsent(tenant, t -> new CopyOnWriteArraySet<>()).add(s);
        }
        return s;
    }

    /** A new connection listens: whoever subscribed before it may have missed changes. */
    public void connected(long connection) {
        synchronized (epochLock) {
            epoch = connection;
            for (Set<Subscription> subs : byTenant.values()) {
                for (Subscription s : subs) {
                    if (s.epoch != connection) {
                        s.epoch = connection;
                        s.offer(AlertSignal.resync(s.tenant));
                    }
                }
            }
        }
    }

    /** The connection was lost: until the next one listens, changes go unnoticed. */
    public void disconnected() {
        synchronized (epochLock) {
            epoch = NOT_LISTENING;
        }
    }

    public boolean listening() {
        synchronized (epochLock) {
            return epoch != NOT_LISTENING;
        }
    }

    /** To the signal's tenant's subscribers only. */
    public void publish(AlertSignal signal) {
        Set<Subscription> subs = byTenant.get(signal.tenant());
        if (subs != null) {
            for (Subscription s : subs) {
                s.offer(signal);
            }
        }
    }

    public int subscribers() {
        return byTenant.values().stream().mapToInt(Set::size).sum();
    }

    private final class Subscription implements AutoCloseable {
        private final TenantId tenant;
        private final Consumer<AlertSignal> consumer;
        private final ArrayDeque<AlertSignal> queue = new ArrayDeque<>();
        private boolean draining;
        private boolean closed;
        /** Guarded by {@link #epochLock}. */
        private long epoch;

        Subscription(TenantId tenant, Consumer<AlertSignal> consumer) {
            this.tenant = tenant;
            this.consumer = consumer;
        }

        void offer(AlertSignal signal) {
            boolean start;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (queue.size() >= maxQueued) {
                    queue.clear();
                    queue.add(AlertSignal.resync(tenant));
                } else if (!(signal.kind() == AlertSignal.Kind.RESYNC && !queue.isEmpty()
                        && queue.peekLast().kind() == AlertSignal.Kind.RESYNC)) {
                    queue.add(signal);
                }
                start = !draining;
                draining = true;
            }
            if (start) {
                try {
                    executor.execute(this::drain);
                } catch (RuntimeException e) {  // executor shut down: the feed is closing
                    synchronized (this) {
                        draining = false;
                    }
                }
            }
        }

        private void drain() {
            while (true) {
                AlertSignal next;
                synchronized (this) {
                    next = closed ? null : queue.poll();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                }
                try {
                    consumer.accept(next);
                } catch (RuntimeException e) {
                    LOG.warn("An alert feed subscriber of tenant {} failed on {}: {}", tenant, next.kind(), e.toString());
                }
            }
        }

        @Override
        public void close() {
            synchronized (this) {
                closed = true;
                queue.clear();
            }
            Set<Subscription> subs = byTenant.get(tenant);
            if (subs != null) {
                subs.remove(this);
            }
        }
    }
}
