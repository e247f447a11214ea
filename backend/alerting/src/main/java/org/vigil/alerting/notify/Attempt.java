package org.vigil.alerting.notify;

import java.time.Duration;

/** The outcome of one delivery attempt; {@link #took()} is its wall time. */
public sealed interface Attempt permits Attempt.Delivered, Attempt.Failed {
    Duration took();

    /** @param detail what the receiver said, e.g. {@code "250 OK"} or {@code "HTTP 204"} */
    record Delivered(String detail, Duration took) implements Attempt {
    }

    /**
     * @param error     a sentence an operator can act on
     * @param retryable whether a later attempt may succeed; false when only a change of configuration can help
     */
    record Failed(String error, boolean retryable, Duration took) implements Attempt {
    }
}
