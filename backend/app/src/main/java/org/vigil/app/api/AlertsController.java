package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.vigil.alerting.Alerts;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** The triage queue and what care teams do with an alert; every action is recorded with the caller as actor. */
@Controller("/api/v1/alerts")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AlertsController {
    /** "any" includes resolved alerts (a patient's history); without a status the queue shows unresolved ones. */
    private static final Set<String> STATUSES = Set.of("open", "acknowledged", "resolved", Alerts.Query.ANY_STATUS);
    private static final Set<String> SEVERITIES = Set.of("critical", "warning", "info");
    private final Alerts alerts;

    public AlertsController(Alerts alerts) {
        this.alerts = alerts;
    }

    @Get
    public List<Alerts.AlertView> list(Authentication auth, @Nullable @QueryValue String status, @Nullable @QueryValue String severity,
                                       @Nullable @QueryValue UUID patient, @Nullable @QueryValue String program,
                                       @Nullable @QueryValue String assignee, @Nullable @QueryValue Integer limit) {
        if (status != null && !STATUSES.contains(status)) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'status' must be one of " + STATUSES + ".");
        }
        if (severity != null && !SEVERITIES.contains(severity)) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'severity' must be one of " + SEVERITIES + ".");
        }
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'limit' must be between 1 and 1000.");
        }
        return alerts.list(CurrentTenant.of(auth), new Alerts.Query(status, severity, patient, program, assignee, size));
    }

    @Get("/{id}")
    public Alerts.Detail detail(Authentication auth, @PathVariable UUID id) {
        return found(alerts.detail(CurrentTenant.of(auth), id));
    }

    @Serdeable
    public record Note(@Nullable String note) {
    }

    @Serdeable
    public record Assignment(String assignee) {
    }

    @Serdeable
    public record Snooze(Instant until, @Nullable String note) {
    }

    @Post("/{id}/acknowledge")
    public Alerts.AlertView acknowledge(Authentication auth, @PathVariable UUID id, @Nullable @Body Note body) {
        return found(alerts.acknowledge(CurrentTenant.of(auth), id, auth.getName(), body == null ? null : body.note()));
    }

    @Post("/{id}/assign")
    public Alerts.AlertView assign(Authentication auth, @PathVariable UUID id, @Body Assignment body) {
        if (body.assignee() == null || body.assignee().isBlank() || body.assignee().length() > 200) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'assignee' must be 1–200 characters.");
        }
        return found(alerts.assign(CurrentTenant.of(auth), id, auth.getName(), body.assignee()));
    }

    @Post("/{id}/snooze")
    public Alerts.AlertView snooze(Authentication auth, @PathVariable UUID id, @Body Snooze body) {
        if (body.until() == null || !body.until().isAfter(Instant.now()) || body.until().isAfter(Instant.now().plusSeconds(7 * 86_400))) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'until' must be a time within the next 7 days.");
        }
        return found(alerts.snooze(CurrentTenant.of(auth), id, auth.getName(), body.until(), body.note()));
    }

    @Post("/{id}/resolve")
    public Alerts.AlertView resolve(Authentication auth, @PathVariable UUID id, @Body Note body) {
        if (body == null || body.note() == null || body.note().isBlank()) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "Resolving by hand needs a 'note' saying why.");
        }
        return found(alerts.resolve(CurrentTenant.of(auth), id, auth.getName(), body.note()));
    }

    private static <T> T found(Optional<T> v) {
        return v.orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No such alert."));
    }
}
