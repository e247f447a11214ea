package org.vigil.app;

import java.time.Duration;
import java.util.function.Supplier;

public final class Eventually {
    private Eventually() {
    }

    /** Polls until the value satisfies the check, or fails with the last value seen. */
    public static <T> T await(Duration timeout, Supplier<T> value, java.util.function.Predicate<T> check, String what) {
        long deadline = System.nanoTime() + timeout.toNanos();
        T last = null;
        RuntimeException lastError = null;
        while (System.nanoTime() < deadline) {
            try {
                last = value.get();
                if (check.test(last)) {
                    return last;
                }
                lastError = null;
            } catch (RuntimeException e) {
                lastError = e;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
        AssertionError err = new AssertionError("Timed out after " + timeout + " waiting for " + what + "; last value: " + last);
        if (lastError != null) {
            err.initCause(lastError);
        }
        throw err;
    }
}
