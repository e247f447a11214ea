package org.vigil.app.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.vigil.ingest.IngestMonitor;
import org.vigil.ingest.IngestStats;

/** Pipeline counters for operators and the run/bench commands. Carries no PHI and no tenant data. */
@Controller("/status")
@Secured(SecurityRule.IS_ANONYMOUS)
public class StatusController {
    @Serdeable
    public record Status(IngestStats ingest, long pending) {
    }

    private final IngestMonitor ingest;

    public StatusController(IngestMonitor ingest) {
        this.ingest = ingest;
    }

    @Get
    public Status status() {
        return new Status(ingest.stats(), ingest.pending());
    }
}
