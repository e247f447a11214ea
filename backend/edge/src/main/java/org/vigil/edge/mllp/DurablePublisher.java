package org.vigil.edge.mllp;

import java.io.IOException;
import java.time.Duration;

/** Puts a message on the readings stream and returns only once JetStream has stored it. */
@FunctionalInterface
public interface DurablePublisher {
    /**
     * @return true when JetStream recognised the message id as a duplicate (stored before)
     * @throws IOException when the stream did not confirm within {@code timeout}
     */
    boolean publish(String subject, byte[] payload, String messageId, Duration timeout) throws IOException;
}
