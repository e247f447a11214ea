package org.vigil.alerting;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * The alert canary: a synthetic reading per tenant through the whole path, which must come out as the canary
 * patient's alert in time.
 *
 * @param every      how often each tenant's canary sends a reading
 * @param deadline   a reading not out as an alert this long after it was published raises a platform alarm
 * @param checkEvery how often the canary looks (sends what is due, checks what was sent)
 */
@ConfigurationProperties("vigil.alerting.canary")
public record CanarySettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "1m") Duration every,
        @Bindable(defaultValue = "30s") Duration deadline,
        @Bindable(defaultValue = "5s") Duration checkEvery) {
}
