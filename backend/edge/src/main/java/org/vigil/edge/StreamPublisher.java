package org.vigil.edge;

import io.micronaut.context.annotation.Value;
import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.JetStreamApiException;
import io.nats.client.Nats;
import io.nats.client.Options;
import io.nats.client.PublishOptions;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.time.Duration;

/**
 * Puts what an edge transport accepted onto the readings stream, and says so only once JetStream has stored it:
 * an HL7 AA, a webhook 202 or a re-submitted dead letter all mean "durably on the stream", never "in memory".
 * The message id makes a sender's retry a no-op within the stream's duplicate window.
 */
@Singleton
public class StreamPublisher implements AutoCloseable {
    private final Connection nats;
    private final JetStream js;

    public StreamPublisher(@Value("${vigil.ingest.nats-url:`nats://127.0.0.1:14222`}") String natsUrl) throws IOException, InterruptedException {
        this.nats = Nats.connect(Options.builder().server(natsUrl).connectionName("vigil-edge").maxReconnects(-1).build());
        this.js = nats.jetStream();
    }

    /**
     * Blocks until the stream has stored the message or recognised it as a duplicate ({@link PublishAck#isDuplicate()}).
     *
     * @throws IOException when the stream did not confirm within {@code timeout} (the caller must not acknowledge)
     */
    public PublishAck publishDurably(String subject, byte[] payload, String msgId, Duration timeout, Headers headers)
            throws IOException {
        try {
            PublishOptions.Builder options = PublishOptions.builder().streamTimeout(timeout);
            if (msgId != null) {
                options.messageId(msgId);
            }
            return js.publish(subject, headers, payload, options.build());
        } catch (JetStreamApiException e) {
            throw new IOException("JetStream refused the message: " + e.getMessage(), e);
        }
    }

    public PublishAck publishDurably(String subject, byte[] payload, String msgId, Duration timeout) throws IOException {
        return publishDurably(subject, payload, msgId, timeout, null);
    }

    @PreDestroy
    @Override
    public void close() throws InterruptedException {
        nats.close();
    }
}
