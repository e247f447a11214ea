package org.vigil.ingest;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How the readings stream is consumed. Batches are bounded by size and by age, and at most
 * {@code maxAckPending} messages are in flight, so a slow ClickHouse slows intake instead of growing memory.
 *
 * @param natsUrl        NATS server URL
 * @param stream         JetStream stream holding raw ingest messages (the replayable archive)
 * @param streamMaxAge   how long raw messages stay replayable
 * @param duplicateWindow JetStream dedup window for Nats-Msg-Id (the content hash)
 * @param consumer       durable pull consumer feeding the telemetry store
 * @param maxBatch       readings per ClickHouse insert
 * @param maxDelay       longest a reading waits for its batch to fill
 * @param fetchSize      messages per pull request
 * @param maxAckPending  in-flight (delivered, unacknowledged) message bound
 * @param ackWait        redelivery timeout for an unacknowledged message
 */
@ConfigurationProperties("vigil.ingest")
public record IngestSettings(
        @Bindable(defaultValue = "nats://127.0.0.1:14222") String natsUrl,
        @Bindable(defaultValue = "READINGS") String stream,
        @Bindable(defaultValue = "7d") Duration streamMaxAge,
        @Bindable(defaultValue = "10m") Duration duplicateWindow,
        @Bindable(defaultValue = "telemetry-writer") String consumer,
        @Bindable(defaultValue = "10000") int maxBatch,
        @Bindable(defaultValue = "250ms") Duration maxDelay,
        @Bindable(defaultValue = "1000") int fetchSize,
        @Bindable(defaultValue = "40000") int maxAckPending,
        @Bindable(defaultValue = "30s") Duration ackWait) {
}
