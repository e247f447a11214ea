package org.vigil.telemetry;

/** The telemetry store cannot be reached or failed to answer; the API reports it as 503, not as a bug. */
public class TelemetryUnavailableException extends RuntimeException {
    public TelemetryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
