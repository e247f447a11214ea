package org.vigil.app;

import io.micronaut.health.HealthStatus;
import io.micronaut.management.health.indicator.HealthIndicator;
import io.micronaut.management.health.indicator.HealthResult;
import io.micronaut.core.async.publisher.Publishers;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;
import org.vigil.ingest.IngestMonitor;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.TelemetryUnavailableException;

import java.util.LinkedHashMap;
import java.util.Map;

/** /health says DOWN when ClickHouse or NATS is unreachable, with the backlog that is waiting for them. */
@Singleton
class PipelineHealth implements HealthIndicator {
    private final IngestMonitor ingest;
    private final ReadingHistory telemetry;

    PipelineHealth(IngestMonitor ingest, ReadingHistory telemetry) {
        this.ingest = ingest;
        this.telemetry = telemetry;
    }

    @Override
    public Publisher<HealthResult> getResult() {
        Map<String, Object> details = new LinkedHashMap<>();
        boolean up = true;
        details.put("nats", ingest.connected() ? "UP" : "DOWN");
        up &= ingest.connected();
        try {
            telemetry.ping();
            details.put("clickhouse", "UP");
        } catch (TelemetryUnavailableException e) {
            details.put("clickhouse", "DOWN: " + e.getCause().getMessage());
            up = false;
        }
        details.put("backlog", ingest.pending());
        return Publishers.just(HealthResult.builder("pipeline", up ? HealthStatus.UP : HealthStatus.DOWN)
                .details(details).build());
    }
}
