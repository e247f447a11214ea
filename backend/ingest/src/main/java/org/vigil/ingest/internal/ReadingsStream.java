package org.vigil.ingest.internal;

import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamManagement;
import io.nats.client.api.AckPolicy;
import io.nats.client.api.ConsumerConfiguration;
import io.nats.client.api.DeliverPolicy;
import io.nats.client.api.DiscardPolicy;
import io.nats.client.api.RetentionPolicy;
import io.nats.client.api.StorageType;
import io.nats.client.api.StreamConfiguration;
import org.vigil.core.Subjects;
import org.vigil.ingest.IngestSettings;

import java.io.IOException;

/**
 * Declares the ingest stream and the writer's durable consumer. The stream is the raw archive: limits-based
 * retention keeps every message for {@code streamMaxAge} whether or not it was consumed, so a day can be
 * replayed through a new transform. When the stream is full it refuses new messages (DiscardPolicy.New):
 * publishers see the error and retry, instead of old unconsumed readings being discarded silently.
 */
final class ReadingsStream {
    private ReadingsStream() {
    }

    static void declare(Connection nats, IngestSettings s) throws IOException, JetStreamApiException {
        JetStreamManagement jsm = nats.jetStreamManagement();
        StreamConfiguration stream = StreamConfiguration.builder()
                .name(s.stream())
                .subjects(Subjects.INGEST_WILDCARD)
                .storageType(StorageType.File)
                .retentionPolicy(RetentionPolicy.Limits)
                .discardPolicy(DiscardPolicy.New)
                .maxAge(s.streamMaxAge())
                .duplicateWindow(s.duplicateWindow())
                .build();
        if (jsm.getStreamNames().contains(s.stream())) {
            jsm.updateStream(stream);
        } else {
            jsm.addStream(stream);
        }
        ConsumerConfiguration consumer = ConsumerConfiguration.builder()
                .durable(s.consumer())
                .ackPolicy(AckPolicy.Explicit)
                .deliverPolicy(DeliverPolicy.All)
                .maxAckPending(s.maxAckPending())
                .ackWait(s.ackWait())
                .maxPullWaiting(8)
                .build();
        try {
            jsm.addOrUpdateConsumer(s.stream(), consumer);
        } catch (JetStreamApiException e) {
            // e.g. an ack policy cannot be changed on an existing durable consumer. Deleting it would silently
            // restart consumption from the beginning of the stream, so leave that decision to an operator.
            throw new IllegalStateException("Consumer '" + s.consumer() + "' on stream '" + s.stream() + "' exists with a"
                    + " configuration that cannot be updated (" + e.getMessage() + "). Delete it (consumption restarts"
                    + " from the start of the stream; the store is idempotent) or set vigil.ingest.consumer to a new name.", e);
        }
    }
}
