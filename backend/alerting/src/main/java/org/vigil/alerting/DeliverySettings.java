package org.vigil.alerting;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How alert events and notifications are delivered. Each channel has its own workers, so a dead SMTP server or
 * webhook holds up only its own deliveries, never the dashboard's events or other channels.
 *
 * @param smtpHost      empty: e-mail is not configured, and e-mail deliveries fail at once saying so
 * @param workers       concurrent attempts per channel (e-mail, webhook)
 * @param lease         an attempt not finished within this is taken up again (its worker died)
 * @param maxAttempts   attempts before a delivery is given up (recorded, and visible with the alert)
 */
@ConfigurationProperties("vigil.alerting.delivery")
public record DeliverySettings(
        @Bindable(defaultValue = "") String smtpHost,
        @Bindable(defaultValue = "25") int smtpPort,
        @Bindable(defaultValue = "vigil@localhost") String smtpFrom,
        @Bindable(defaultValue = "false") boolean smtpStartTls,
        @Nullable String smtpUsername,
        @Nullable String smtpPassword,
        @Bindable(defaultValue = "5s") Duration connectTimeout,
        @Bindable(defaultValue = "10s") Duration readTimeout,
        @Bindable(defaultValue = "4") int workers,
        @Bindable(defaultValue = "2m") Duration lease,
        @Bindable(defaultValue = "10") int maxAttempts,
        @Bindable(defaultValue = "5s") Duration firstRetry,
        @Bindable(defaultValue = "10m") Duration maxRetry,
        @Bindable(defaultValue = "500ms") Duration poll) {
}
