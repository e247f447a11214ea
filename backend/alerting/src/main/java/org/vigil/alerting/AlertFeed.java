package org.vigil.alerting;

import io.micronaut.context.annotation.Value;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.vigil.alerting.internal.AlertListener;
import org.vigil.alerting.internal.SignalFanout;
import org.vigil.core.TenantId;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * Live notice that one of a tenant's alerts opened or changed, whichever process changed it (the evaluator opening
 * or updating it, or a person acknowledging, assigning, snoozing or resolving it anywhere), within about a second
 * of the commit. PostgreSQL announces every change of {@code alerts} (a trigger, V5__dashboard.sql) and one
 * connection per process listens, started by the first subscriber. The canary's alerts are never announced.
 *
 * <p>A signal carries ids and a status only: read what to show through {@link Alerts}. Signals are delivered on a
 * thread of the feed, never the subscriber's own, in commit order per subscriber; a subscriber that blocks or
 * throws delays nobody else (a Vaadin view hands the signal to {@code ui.access}). A {@link AlertSignal.Kind#RESYNC}
 * says changes may have been missed (the connection was lost, or the subscriber fell behind): reload.
 */
@Singleton
public class AlertFeed implements AutoCloseable {
    /** Signals a subscriber may fall behind by before they are replaced by one resync. */
    private static final int MAX_QUEUED = 1_000;
    /** How long subscribe waits for the listener's first connection, so that it does not miss what follows it. */
    private static final long FIRST_CONNECTION_WAIT_MS = 3_000;

    private final String url;
    private final String user;
    private final String password;
    private final ExecutorService delivery;
    private final SignalFanout fanout;
    private AlertListener listener;
    private boolean closed;

    public AlertFeed(@Value("${datasources.default.url}") String url, @Value("${datasources.default.username}") String user,
                     @Value("${datasources.default.password}") String password) {
        this.url = url;
        this.user = user;
        this.password = password;
        AtomicInteger n = new AtomicInteger();
        this.delivery = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "vigil-alert-feed-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.fanout = new SignalFanout(delivery, MAX_QUEUED);
    }

    /**
     * Delivers the tenant's signals, and only that tenant's, until the returned handle is closed. Returns once the
     * feed listens (or after a few seconds if PostgreSQL is unreachable; the subscriber then gets a resync when it
     * is reachable again), so a subscriber that loads its view after subscribing misses nothing in between.
     */
    public AutoCloseable subscribe(TenantId tenant, Consumer<AlertSignal> subscriber) {
        ensureListening();
        long deadline = System.currentTimeMillis() + FIRST_CONNECTION_WAIT_MS;
        while (!fanout.listening() && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // Subscribed once listening, it needs no resync for the first connection; subscribed while not listening,
        // it gets one when a connection does.
        return fanout.subscribe(tenant, subscriber);
    }

    /** Whether the feed currently listens: false before the first subscriber and while it reconnects. */
    public boolean listening() {
        return fanout.listening();
    }

    private synchronized void ensureListening() {
        if (listener == null && !closed) {
            listener = new AlertListener(url, user, password, fanout);
            listener.start();
        }
    }

    @PreDestroy
    @Override
    public synchronized void close() throws InterruptedException {
        closed = true;
        if (listener != null) {
            listener.close();
        }
        delivery.shutdownNow();
    }
}
