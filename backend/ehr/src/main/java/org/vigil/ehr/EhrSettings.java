package org.vigil.ehr;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * EHR sync.
 *
 * @param enabled       dispatchers, the every-reading feed and the summary scheduler run in this process
 * @param natsUrl       NATS server URL (the same as ingest's by default)
 * @param stream        the readings stream the every-reading feed reads
 * @param idlePoll      how often an idle dispatcher looks for work another process produced (this process wakes it at once)
 * @param lease         how long a dispatcher's claim on its endpoint lasts without renewal (a crashed process's
 *                      endpoints are taken over after this)
 * @param summaryCheck  how often closed periods are looked for
 * @param summaryDelay  how long after a period ends its summary is made, for readings still arriving
 */
@ConfigurationProperties("vigil.ehr")
public record EhrSettings(
        @Bindable(defaultValue = "true") boolean enabled,
        @Bindable(defaultValue = "nats://127.0.0.1:14222") String natsUrl,
        @Bindable(defaultValue = "READINGS") String stream,
        @Bindable(defaultValue = "500ms") Duration idlePoll,
        @Bindable(defaultValue = "30s") Duration lease,
        @Bindable(defaultValue = "1m") Duration summaryCheck,
        @Bindable(defaultValue = "1h") Duration summaryDelay) {
}
