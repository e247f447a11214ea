package org.vigil.alerting.internal;

import io.micronaut.core.annotation.Nullable;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertSignal;
import org.vigil.core.TenantId;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One PostgreSQL connection of its own that LISTENs on {@code vigil_alerts} (see V5__dashboard.sql) on a daemon
 * thread, and hands what it hears to a {@link SignalFanout}. Not a pooled connection: a listener holds its
 * connection for as long as the process runs, and the pool's maximum lifetime would cut it. It connects as the
 * application role; LISTEN needs no privilege on any table. When the connection fails it reconnects with
 * exponential backoff and jitter, and each new connection makes the fanout resync its subscribers.
 */
public final class AlertListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AlertListener.class);
    public static final String CHANNEL = "vigil_alerts";
    /** How the connection shows in pg_stat_activity. */
    public static final String APPLICATION_NAME = "vigil-alert-feed";
    private static final int POLL_MS = 500;
    /** A quiet connection is checked this often, so a dead one (server gone, network cut) is noticed. */
    private static final Duration CHECK_EVERY = Duration.ofSeconds(15);
    private static final Duration BACKOFF_MIN = Duration.ofMillis(250);
    private static final Duration BACKOFF_MAX = Duration.ofSeconds(10);

    private final String url;
    private final Properties properties;
    private final SignalFanout fanout;
    private final Thread thread;
    private volatile boolean running = true;
    private long connections;

    public AlertListener(String url, String user, String password, SignalFanout fanout) {
        this.url = url;
        this.properties = new Properties();
        properties.setProperty("user", user);
        properties.setProperty("password", password);
        properties.setProperty("ApplicationName", APPLICATION_NAME);
        properties.setProperty("tcpKeepAlive", "true");
        // A check on a connection to a server that vanished must fail, not hang.
        properties.setProperty("socketTimeout", "30");
        properties.setProperty("connectTimeout", "10");
        this.fanout = fanout;
        this.thread = new Thread(this::run, "vigil-alert-listener");
        thread.setDaemon(true);
    }

    public void start() {
        thread.start();
    }

    private void run() {
        long backoff = BACKOFF_MIN.toMillis();
        boolean warned = false;
        while (running) {
            try (Connection c = DriverManager.getConnection(url, properties)) {
                try (Statement st = c.createStatement()) {
                    st.execute("LISTEN " + CHANNEL);
                }
                fanout.connected(++connections);
                if (warned) {
                    LOG.info("Listening for alert changes again; subscribers resync");
                }
                backoff = BACKOFF_MIN.toMillis();
                warned = false;
                listen(c);
            } catch (SQLException | RuntimeException e) {
                fanout.disconnected();
                if (!running) {
                    return;
                }
                // Logged once per outage, not on every retry.
                if (!warned) {
                    LOG.warn("Alert feed lost its PostgreSQL connection ({}); retrying with backoff up to {}", e.getMessage(), BACKOFF_MAX);
                    warned = true;
                }
                try {
                    Thread.sleep(backoff / 2 + ThreadLocalRandom.current().nextLong(backoff / 2 + 1));
                } catch (InterruptedException ie) {
                    return;
                }
                backoff = Math.min(backoff * 2, BACKOFF_MAX.toMillis());
            }
        }
    }

    private void listen(Connection c) throws SQLException {
        PGConnection pg = c.unwrap(PGConnection.class);
        long lastCheck = System.nanoTime();
        while (running) {
            PGNotification[] heard = pg.getNotifications(POLL_MS);
            if (heard != null) {
                for (PGNotification n : heard) {
                    parse(n.getParameter()).ifPresentOrElse(fanout::publish,
                            () -> LOG.warn("Ignored an unreadable alert notification: '{}'", n.getParameter()));
                }
            }
            if (System.nanoTime() - lastCheck > CHECK_EVERY.toNanos()) {
                try (Statement st = c.createStatement()) {
                    st.execute("SELECT 1");
                }
                lastCheck = System.nanoTime();
            }
        }
    }

    /** {@code <tenant> <alert id> <patient id> <status> <insert|update>}, as notify_alert_change() writes it. */
    static Optional<AlertSignal> parse(@Nullable String payload) {
        if (payload == null) {
            return Optional.empty();
        }
        String[] p = payload.split(" ");
        if (p.length != 5 || !TenantId.isValid(p[0])) {
            return Optional.empty();
        }
        AlertSignal.Kind kind;
        if (p[4].equals("insert")) {
            kind = AlertSignal.Kind.OPENED;
        } else if (p[4].equals("update")) {
            kind = AlertSignal.Kind.CHANGED;
        } else {
            return Optional.empty();
        }
        try {
            return Optional.of(new AlertSignal(new TenantId(p[0]), kind, UUID.fromString(p[1]), UUID.fromString(p[2]), p[3]));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** Stops within one poll ({@value #POLL_MS} ms); the connection is closed by the listening thread itself. */
    @Override
    public void close() throws InterruptedException {
        running = false;
        thread.interrupt();  // ends a backoff sleep; a poll in progress ends by its timeout
        thread.join(TimeUnit.SECONDS.toMillis(5));
    }
}
