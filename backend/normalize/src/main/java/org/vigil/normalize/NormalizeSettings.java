package org.vigil.normalize;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;
import java.time.Instant;

/**
 * The edge's time rules.
 *
 * @param maxFutureSkew       readings further than this after their receive time are refused (a wrong device clock)
 * @param clockDriftTolerance a device clock that is off by less than this is trusted as is; beyond it, readings are
 *                            shifted by the measured drift. Small drifts are left alone so that the same reading
 *                            arriving twice (whose drift is measured twice, a few ms apart) keeps one effective time
 * @param clockNeverSet       readings before this instant come from a clock that was never set (devices reset to
 *                            1970, 1980 or 2000) and are refused
 */
@ConfigurationProperties("vigil.normalize")
public record NormalizeSettings(
        @Bindable(defaultValue = "10m") Duration maxFutureSkew,
        @Bindable(defaultValue = "2m") Duration clockDriftTolerance,
        @Bindable(defaultValue = "2001-01-01T00:00:00Z") Instant clockNeverSet) {

    public static NormalizeSettings defaults() {
        return new NormalizeSettings(Duration.ofMinutes(10), Duration.ofMinutes(2), Instant.parse("2001-01-01T00:00:00Z"));
    }
}
