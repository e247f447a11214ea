package org.vigil.app.api;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import org.vigil.alerting.CircuitStatus;

import java.util.List;

/**
 * The alert circuit's health for the operations board: the caller's tenant's canary and alarms, and for platform
 * administrators every tenant's open alarms. No PHI in either.
 */
@Controller("/api/v1")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AlertCircuitController {
    private final CircuitStatus status;

    public AlertCircuitController(CircuitStatus status) {
        this.status = status;
    }

    @Get("/alert-circuit")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    public CircuitStatus.View mine(Authentication auth) {
        return status.of(CurrentTenant.of(auth));
    }

    @Get("/platform/alarms")
    @Secured("platform-admin")
    public List<CircuitStatus.Alarm> open() {
        return status.openAlarms();
    }
}
