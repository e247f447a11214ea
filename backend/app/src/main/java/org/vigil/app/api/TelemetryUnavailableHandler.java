package org.vigil.app.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.inject.Singleton;
import org.vigil.telemetry.TelemetryUnavailableException;

/** ClickHouse being down is an outage to report (503, retry later), not a server bug (500). */
@Produces
@Singleton
@Requires(classes = {TelemetryUnavailableException.class, ExceptionHandler.class})
public class TelemetryUnavailableHandler implements ExceptionHandler<TelemetryUnavailableException, HttpResponse<TelemetryUnavailableHandler.Problem>> {

    @Serdeable
    public record Problem(String message) {
    }

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, TelemetryUnavailableException exception) {
        return HttpResponse.<Problem>serverError(new Problem("Readings are temporarily unavailable: the telemetry store"
                        + " cannot be reached. Nothing is lost; ingest resumes when it is back. Retry later."))
                .status(io.micronaut.http.HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "10");
    }
}
