package org.vigil.ui.live;

import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Looks at the platform's status every few seconds and tells the open dashboards of each tenant when it changes,
 * once per tenant however many browsers are open.
 */
@Singleton
public class StatusBroadcaster {
    private static final Logger LOG = LoggerFactory.getLogger(StatusBroadcaster.class);
    private final PlatformStatus status;
    private final Duration every;
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private final List<Runnable> tickers = new CopyOnWriteArrayList<>();
    private final Map<String, List<PlatformStatus.Problem>> last = new HashMap<>();
    private ScheduledExecutorService timer;

    public StatusBroadcaster(PlatformStatus status, @Value("${vigil.ui.status-every:5s}") Duration every) {
        this.status = status;
        this.every = every;
    }

    private record Listener(@Nullable TenantId tenant, Consumer<List<PlatformStatus.Problem>> consumer) {
    }

    /** Tells the consumer the current problems at once, then each change; close to stop. */
    public AutoCloseable subscribe(@Nullable TenantId tenant, Consumer<List<PlatformStatus.Problem>> consumer) {
        Listener l = new Listener(tenant, consumer);
        // a page that opens now sees now, not what the last look (up to a few seconds ago) saw
        List<PlatformStatus.Problem> p = status.problems(tenant);
        synchronized (last) {
            last.put(key(tenant), p);
        }
        consumer.accept(p);
        listeners.add(l);
        startTimer();
        return () -> listeners.remove(l);
    }

    /** Runs the task at every look (every few seconds) until closed: views that show live figures refresh with it. */
    public AutoCloseable onTick(Runnable task) {
        tickers.add(task);
        startTimer();
        return () -> tickers.remove(task);
    }

    private synchronized void startTimer() {
        if (timer == null) {
            timer = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "dashboard-status");
                t.setDaemon(true);
                return t;
            });
            timer.scheduleWithFixedDelay(this::look, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    private void look() {
        for (Runnable t : tickers) {
            try {
                t.run();
            } catch (RuntimeException e) {
                LOG.warn("dashboard refresh failed: {}", e.toString());
            }
        }
        Map<String, List<Listener>> byTenant = new HashMap<>();
        for (Listener l : listeners) {
            byTenant.computeIfAbsent(key(l.tenant()), k -> new ArrayList<>()).add(l);
        }
        for (Map.Entry<String, List<Listener>> e : byTenant.entrySet()) {
            try {
                List<PlatformStatus.Problem> p = status.problems(e.getValue().get(0).tenant());
                List<PlatformStatus.Problem> before;
                synchronized (last) {
                    before = last.put(e.getKey(), p);
                }
                if (!p.equals(before)) {
                    e.getValue().forEach(l -> tell(l, p));
                }
            } catch (RuntimeException ex) {
                LOG.warn("could not look at the status of tenant '{}': {}", e.getKey(), ex.toString());
            }
        }
    }

    private static void tell(Listener l, List<PlatformStatus.Problem> problems) {
        try {
            l.consumer().accept(problems);
        } catch (RuntimeException e) {
            LOG.warn("status listener failed: {}", e.toString());
        }
    }

    private static String key(@Nullable TenantId tenant) {
        return tenant == null ? "" : tenant.value();
    }

    @PreDestroy
    synchronized void stop() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
