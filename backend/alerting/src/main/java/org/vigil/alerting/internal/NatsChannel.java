package org.vigil.alerting.internal;

import io.nats.client.JetStream;
import io.nats.client.PublishOptions;
import io.nats.client.impl.Headers;
import org.vigil.alerting.notify.Attempt;
import org.vigil.alerting.notify.Channel;
import org.vigil.alerting.notify.Notification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Alert events onto the tenant's alert subject, stored by JetStream (the ALERTS stream) so that a dashboard that
 * was disconnected can catch up; the delivery id is the message id, so a retried publish is stored once.
 */
final class NatsChannel implements Channel {
    private final JetStream js;

    NatsChannel(JetStream js) {
        this.js = js;
    }

    @Override
    public String name() {
        return "nats";
    }

    @Override
    public Attempt send(Notification n) {
        long start = System.nanoTime();
        try {
            Headers h = new Headers().add("Vigil-Event", n.subject()).add("Content-Type", n.contentType());
            var ack = js.publish(n.destination(), h, n.body().getBytes(StandardCharsets.UTF_8),
                    PublishOptions.builder().messageId(n.id().toString()).build());
            return new Attempt.Delivered("stored as " + ack.getStream() + ":" + ack.getSeqno()
                    + (ack.isDuplicate() ? " (duplicate)" : ""), Duration.ofNanos(System.nanoTime() - start));
        } catch (Exception e) {
            return new Attempt.Failed("NATS did not store the event: " + e.getMessage(), true, Duration.ofNanos(System.nanoTime() - start));
        }
    }
}
