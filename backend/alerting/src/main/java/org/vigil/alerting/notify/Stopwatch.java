package org.vigil.alerting.notify;

import java.time.Duration;

/** Times one attempt and stamps its outcome with the elapsed time. */
record Stopwatch(long startNanos) {
    static Stopwatch start() {
        return new Stopwatch(System.nanoTime());
    }

    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    Attempt.Delivered delivered(String detail) {
        return new Attempt.Delivered(detail, elapsed());
    }

    Attempt.Failed failed(String error, boolean retryable) {
        return new Attempt.Failed(error, retryable, elapsed());
    }
}
