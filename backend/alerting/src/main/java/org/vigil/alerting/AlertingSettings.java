package org.vigil.alerting;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The alert circuit. Batches are small and short (tens of milliseconds): the target is an alert committed within
 * a second of its reading while thousands of readings per second flow.
 *
 * @param natsUrl        NATS server URL (the same as ingest's by default)
 * @param stream         the readings stream the evaluator reads (ingest declares it)
 * @param consumer       the evaluator's name in {@code stream_positions}
 * @param startAt        where a first start begins reading: {@code all} (the whole retained stream; old readings
 *                       raise late alerts that page nobody) or {@code new}
 * @param maxBatch       messages per evaluation transaction
 * @param maxDelay       longest a message waits for its batch
 * @param snapshotEvery  how often windows and latest values are written (a restart re-reads at most this much)
 * @param configRefresh  how stale a tenant's rules may be in this process after a change made by another one
 * @param tickEvery      how often time-driven changes (auto-resolve, no-data) are evaluated
 * @param alertsStream   the stream alert events are published to ({@code vigil.<tenant>.alerts.<patient>})
 * @param dashboardUrl   links in e-mails point here (e-mails carry no PHI: a link and a severity)
 */
@ConfigurationProperties("vigil.alerting")
public record AlertingSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "nats://127.0.0.1:14222") String natsUrl,
        @Bindable(defaultValue = "READINGS") String stream,
        @Bindable(defaultValue = "alert-evaluator") String consumer,
        @Bindable(defaultValue = "all") String startAt,
        @Bindable(defaultValue = "1000") int maxBatch,
        @Bindable(defaultValue = "25ms") Duration maxDelay,
        @Bindable(defaultValue = "5s") Duration snapshotEvery,
        @Bindable(defaultValue = "5s") Duration configRefresh,
        @Bindable(defaultValue = "1s") Duration tickEvery,
        @Bindable(defaultValue = "ALERTS") String alertsStream,
        @Bindable(defaultValue = "http://127.0.0.1:18080/alerts") String dashboardUrl) {
}
