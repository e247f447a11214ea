package org.vigil.alerting.internal;

import io.micronaut.context.annotation.Context;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.AlertingSettings;
import org.vigil.alerting.DeliverySettings;
import org.vigil.alerting.notify.Attempt;
import org.vigil.alerting.notify.Channel;
import org.vigil.alerting.notify.EmailChannel;
import org.vigil.alerting.notify.Notification;
import org.vigil.alerting.notify.RetryPolicy;
import org.vigil.alerting.notify.SigningKey;
import org.vigil.alerting.notify.SmtpSettings;
import org.vigil.alerting.notify.WebhookChannel;
import org.vigil.core.TenantId;
import org.vigil.registry.TenantScope;
import org.vigil.registry.WebhookKeys;

import java.net.http.HttpClient;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Sends what the alert circuit wrote to {@code alert_deliveries}: one claiming thread per channel, and for e-mail
 * and webhooks a small pool, so a receiver that hangs uses up only its own channel's workers and never delays
 * the dashboard's events. Every attempt is recorded; a failure is retried with backoff and jitter until it
 * succeeds, is refused for good, or runs out of attempts.
 */
@Context
public class Deliveries {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

    private final TenantScope scope;
    private final Clock clock;
    private final DeliverySettings settings;
    private final RetryPolicy retry;
    private final Connection nats;
    private final Map<String, Channel> channels;
    private final Map<String, ExecutorService> pools;
    private final Map<String, Semaphore> free;
    private final List<Thread> claimers = new ArrayList<>();
    private final Object signal = new Object();
    private volatile boolean running = true;

    public Deliveries(TenantScope scope, Clock clock, DeliverySettings settings, AlertingSettings alerting, WebhookKeys keys)
            throws Exception {
        this.scope = scope;
        this.clock = clock;
        this.settings = settings;
        this.retry = new RetryPolicy(settings.maxAttempts(), settings.firstRetry(), settings.maxRetry(), 0.2);
        this.nats = Nats.connect(Options.builder().server(alerting.natsUrl()).connectionName("vigil-alert-deliveries")
                .maxReconnects(-1).build());
        declareStream(nats.jetStreamManagement(), alerting.alertsStream());
        Channel email = settings.smtpHost().isBlank() ? new Unconfigured("email", "no SMTP server is configured "
                + "(vigil.alerting.delivery.smtp-host)") : new EmailChannel(new SmtpSettings(settings.smtpHost(),
                settings.smtpPort(), settings.smtpFrom(), settings.smtpStartTls(), settings.smtpUsername(),
                settings.smtpPassword(), settings.connectTimeout(), settings.readTimeout()));
        Channel webhook = new WebhookChannel(HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.connectTimeout()).build(),
                tenant -> keys.outbound(new TenantId(tenant)).map(k -> new SigningKey(k.keyId(), k.secret())),
                settings.readTimeout(), clock);
        this.channels = Map.of("nats", new NatsChannel(nats.jetStream()), "email", email, "webhook", webhook);
        this.pools = Map.of("email", Executors.newFixedThreadPool(settings.workers(), named("email")),
                "webhook", Executors.newFixedThreadPool(settings.workers(), named("webhook")));
        this.free = Map.of("nats", new Semaphore(1), "email", new Semaphore(settings.workers()),
                "webhook", new Semaphore(settings.workers()));
        for (String channel : List.of("nats", "email", "webhook")) {
            Thread t = new Thread(() -> claimLoop(channel), "vigil-deliver-" + channel);
            claimers.add(t);
            t.start();
        }
    }

    /** Something was just committed: look now rather than at the next poll. */
    public void wake() {
        synchronized (signal) {
            signal.notifyAll();
        }
    }

    private void claimLoop(String channel) {
        while (running) {
            try {
                Semaphore slots = free.get(channel);
                int want = Math.max(1, slots.availablePermits());
                List<Claimed> due = claim(channel, want);
                for (Claimed c : due) {
                    if (channel.equals("nats")) {
                        deliver(channel, c);
                    } else {
                        slots.acquire();
                        pools.get(channel).execute(() -> {
                            try {
                                deliver(channel, c);
                            } finally {
                                slots.release();
                            }
                        });
                    }
                }
                if (due.isEmpty()) {
                    synchronized (signal) {
                        signal.wait(settings.poll().toMillis());
                    }
                }
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                if (running) {
                    LOG.warn("Could not claim {} deliveries ({}); retrying", channel, e.toString());
                    sleep(1_000);
                }
            }
        }
    }

    private record Claimed(TenantId tenant, UUID id) {
    }

    private record Pending(Notification notification, int attempts) {
    }

    private List<Claimed> claim(String channel, int max) {
        Instant now = clock.instant();
        return scope.writeAcrossTenants(b -> {
            try (PreparedStatement ps = b.bind(TenantScope.PLATFORM).prepareStatement(
                    "SELECT tenant_id, delivery_id FROM claim_alert_deliveries(?, ?, ?, ?::interval)")) {
                ps.setString(1, channel);
                ps.setTimestamp(2, Timestamp.from(now));
                ps.setInt(3, max);
                ps.setString(4, settings.lease().toMillis() + " milliseconds");
                List<Claimed> out = new ArrayList<>();
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(new Claimed(new TenantId(rs.getString(1)), rs.getObject(2, UUID.class)));
                    }
                }
                return out;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
    }

    private void deliver(String channel, Claimed c) {
        try {
            Optional<Pending> row = scope.writeInTenant(c.tenant(), conn -> {
                try (PreparedStatement ps = conn.prepareStatement("SELECT destination, subject, body, content_type, attempts "
                        + "FROM alert_deliveries WHERE delivery_id = ? AND status = 'pending'")) {
                    ps.setObject(1, c.id());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? Optional.of(new Pending(new Notification(c.tenant().value(), c.id(), channel,
                                rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), rs.getInt(5)))
                                : Optional.<Pending>empty();
                    }
                } catch (SQLException e) {
                    throw new IllegalStateException(e.getMessage(), e);
                }
            });
            if (row.isEmpty()) {
                return;
            }
            Attempt a = channels.get(channel).send(row.get().notification());
            record(c, row.get().attempts() + 1, a);
        } catch (RuntimeException e) {
            // The outcome could not be recorded: the lease expires and the delivery is attempted again.
            LOG.warn("Delivery {} of tenant {}: {}", c.id(), c.tenant(), e.toString());
        }
    }

    private void record(Claimed c, int attempt, Attempt a) {
        Instant now = clock.instant();
        Optional<Duration> wait = a instanceof Attempt.Failed f && f.retryable()
                ? retry.nextDelay(attempt, ThreadLocalRandom.current()) : Optional.empty();
        String outcome = a instanceof Attempt.Delivered ? "delivered" : wait.isPresent() ? "failed" : "gave-up";
        String detail = a instanceof Attempt.Delivered d ? d.detail() : ((Attempt.Failed) a).error();
        boolean delivered = outcome.equals("delivered");
        scope.writeInTenant(c.tenant(), conn -> {
            try {
                Sql.update(conn, "INSERT INTO alert_delivery_attempts (tenant_id, delivery_id, attempt, at, took_ms, outcome, detail) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?)", c.tenant().value(), c.id(), attempt, now,
                        (int) Math.min(Integer.MAX_VALUE, a.took().toMillis()), outcome, detail);
                Sql.update(conn, "UPDATE alert_deliveries SET attempts = ?, status = ?, next_attempt_at = ?, delivered_at = ?, "
                        + "last_error = ? WHERE delivery_id = ?", attempt, delivered ? "delivered" : wait.isPresent() ? "pending" : "failed",
                        wait.map(now::plus).orElse(now), delivered ? now : null, delivered ? null : detail, c.id());
                return null;
            } catch (SQLException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        });
        if (!delivered) {
            LOG.info("Delivery {} ({}) attempt {} {}: {}", c.id(), c.tenant(), attempt, outcome, detail);
        }
    }

    private static void declareStream(JetStreamManagement jsm, String name) throws Exception {
        StreamConfiguration config = StreamConfiguration.builder().name(name).subjects("vigil.*.alerts.>")
                .storageType(StorageType.File).retentionPolicy(RetentionPolicy.Limits).maxAge(Duration.ofDays(7))
                .duplicateWindow(Duration.ofMinutes(10)).build();
        try {
            if (jsm.getStreamNames().contains(name)) {
                jsm.updateStream(config);
            } else {
                jsm.addStream(config);
            }
        } catch (JetStreamApiException e) {
            throw new IllegalStateException("Could not declare the alert events stream '" + name + "': " + e.getMessage(), e);
        }
    }

    /** A channel that cannot work until it is configured: says so on every attempt, never retries. */
    private record Unconfigured(String name, String why) implements Channel {
        @Override
        public Attempt send(Notification n) {
            return new Attempt.Failed(why, false, Duration.ZERO);
        }
    }

    private static java.util.concurrent.ThreadFactory named(String channel) {
        return r -> {
            Thread t = new Thread(r, "vigil-deliver-" + channel + "-worker");
            t.setDaemon(true);
            return t;
        };
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @PreDestroy
    void stop() throws InterruptedException {
        running = false;
        wake();
        for (Thread t : claimers) {
            t.interrupt();
            t.join(TimeUnit.SECONDS.toMillis(5));
        }
        pools.values().forEach(ExecutorService::shutdownNow);
        nats.close();
    }
}
