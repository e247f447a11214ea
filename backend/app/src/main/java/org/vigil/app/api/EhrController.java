package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.vigil.alerting.config.ConfigProblem;
import org.vigil.alerting.config.ConfigRejected;
import org.vigil.core.TenantId;
import org.vigil.ehr.Consents;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.ehr.EhrItems;
import org.vigil.ehr.EndpointReader;
import org.vigil.ehr.Summaries;

import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * EHR sync for a tenant: its endpoints (documents checked line by line, like alert rules), patients' consent per
 * endpoint, the outbox (held and dead items with why, re-sending) and the daily reconciliation. Changing endpoints
 * and re-sending need an administrator; consent is recorded by the care team.
 */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class EhrController {
    private static final Set<String> ADMINS = Set.of("tenant-admin", "platform-admin");

    private final EhrEndpoints endpoints;
    private final Consents consents;
    private final EhrItems items;
    private final Summaries summaries;

    public EhrController(EhrEndpoints endpoints, Consents consents, EhrItems items, Summaries summaries) {
        this.endpoints = endpoints;
        this.consents = consents;
        this.items = items;
        this.summaries = summaries;
    }

    @Get("/ehr/endpoints")
    public List<EhrEndpoints.Stored> list(Authentication auth) {
        return endpoints.list(CurrentTenant.of(auth));
    }

    @Get(value = "/ehr/endpoints/{id}", produces = {"application/yaml", MediaType.APPLICATION_JSON})
    public HttpResponse<String> document(Authentication auth, @PathVariable String id) {
        EhrEndpoints.Stored s = endpoints.get(CurrentTenant.of(auth), id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No such endpoint."));
        return HttpResponse.ok(s.document()).header(HttpHeaders.ETAG, "\"" + s.version() + "\"")
                .contentType(s.document().stripLeading().startsWith("{") ? MediaType.APPLICATION_JSON_TYPE : MediaType.of("application/yaml"));
    }

    @Put(value = "/ehr/endpoints/{id}", consumes = {"application/yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public HttpResponse<Saved> put(Authentication auth, @PathVariable String id, @Body String document,
                                   @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        admin(auth);
        if (!id.matches("[a-z0-9][a-z0-9-]{0,62}")) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "An endpoint id is lower-case letters, digits and '-' (up to 63).");
        }
        Integer expected = null;
        if (ifMatch != null) {
            try {
                expected = Integer.parseInt(ifMatch.replace("\"", "").strip());
            } catch (NumberFormatException e) {
                throw new HttpStatusException(HttpStatus.BAD_REQUEST, "If-Match must be the ETag of GET /api/v1/ehr/endpoints/" + id + ".");
            }
        }
        try {
            EhrEndpoint e = endpoints.put(CurrentTenant.of(auth), id, document, auth.getName(), expected);
            return HttpResponse.ok(new Saved(e.id(), e.version())).header(HttpHeaders.ETAG, "\"" + e.version() + "\"");
        } catch (EhrEndpoints.VersionConflict e) {
            throw new HttpStatusException(HttpStatus.PRECONDITION_FAILED, e.getMessage());
        }
    }

    /** Checks a document without storing it: plain text, one problem per line as {@code line N: field: message}. */
    @Post(value = "/ehr/endpoints/check", consumes = {"application/yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN},
            produces = MediaType.TEXT_PLAIN)
    public HttpResponse<String> check(Authentication auth, @Body String document) {
        try {
            EndpointReader.read(CurrentTenant.of(auth), "check", document, 0);
            return HttpResponse.ok("valid\n");
        } catch (ConfigRejected e) {
            StringBuilder b = new StringBuilder();
            e.problems().forEach(p -> b.append("line ").append(p.line()).append(": ").append(p.field()).append(": ")
                    .append(p.message()).append('\n'));
            return HttpResponse.<String>status(HttpStatus.UNPROCESSABLE_ENTITY).body(b.toString());
        }
    }

    @Get("/patients/{patient}/consents")
    public List<Consents.Consent> consents(Authentication auth, @PathVariable UUID patient) {
        return consents.of(CurrentTenant.of(auth), patient);
    }

    @Serdeable
    public record ConsentChange(String status, @Nullable String note) {
    }

    @Serdeable
    public record ConsentRecorded(String status, int held) {
    }

    @Put("/patients/{patient}/consents/{endpoint}")
    public ConsentRecorded consent(Authentication auth, @PathVariable UUID patient, @PathVariable String endpoint,
                                   @Body ConsentChange change) {
        if (!"active".equals(change.status()) && !"revoked".equals(change.status())) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "status must be 'active' or 'revoked'.");
        }
        try {
            int held = consents.set(CurrentTenant.of(auth), patient, endpoint, "active".equals(change.status()), auth.getName(),
                    change.note());
            return new ConsentRecorded(change.status(), held);
        } catch (Consents.UnknownReference e) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "No such patient or endpoint.");
        }
    }

    @Get("/ehr/items{?endpoint,status,reason,patient,limit}")
    public List<EhrItems.Item> items(Authentication auth, @Nullable @QueryValue String endpoint, @Nullable @QueryValue String status,
                                     @Nullable @QueryValue String reason, @Nullable @QueryValue UUID patient,
                                     @Nullable @QueryValue Integer limit) {
        return items.list(CurrentTenant.of(auth), endpoint, status, reason, patient, limit == null ? 100 : limit);
    }

    @Get("/ehr/items/{id}")
    public EhrItems.Detail item(Authentication auth, @PathVariable UUID id) {
        return items.detail(CurrentTenant.of(auth), id).orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No such item."));
    }

    @Serdeable
    public record Requeued(int items) {
    }

    @Post("/ehr/items/{id}/resend")
    public Requeued resendOne(Authentication auth, @PathVariable UUID id) {
        admin(auth);
        return new Requeued(items.resend(CurrentTenant.of(auth), id, null, null, null));
    }

    /** Re-sends every held or dead item of an endpoint, optionally only those in one state or for one reason. */
    @Post("/ehr/endpoints/{endpoint}/resend{?status,reason}")
    public Requeued resend(Authentication auth, @PathVariable String endpoint, @Nullable @QueryValue String status,
                           @Nullable @QueryValue String reason) {
        admin(auth);
        return new Requeued(items.resend(CurrentTenant.of(auth), null, endpoint, status, reason));
    }

    @Get("/ehr/reconciliation{?day}")
    public List<EhrItems.Reconciliation> reconciliation(Authentication auth, @Nullable @QueryValue String day) {
        LocalDate d;
        try {
            d = day == null ? LocalDate.now(java.time.ZoneOffset.UTC) : LocalDate.parse(day);
        } catch (DateTimeParseException e) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "day must be YYYY-MM-DD (UTC).");
        }
        return items.reconciliation(CurrentTenant.of(auth), d);
    }

    /** Produces an endpoint's summary of the period starting at {@code start} (e.g. after an outage of ClickHouse). */
    @Post("/ehr/endpoints/{endpoint}/summaries{?start}")
    public Summaries.Produced summarise(Authentication auth, @PathVariable String endpoint, @QueryValue String start) {
        admin(auth);
        TenantId tenant = CurrentTenant.of(auth);
        EhrEndpoint e = endpoints.endpoint(tenant, endpoint).orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No such endpoint."));
        if (e.send().summaries() == EhrEndpoint.Summaries.NONE) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "This endpoint sends no summaries (send.summaries).");
        }
        Instant from;
        try {
            from = Instant.parse(start);
        } catch (DateTimeParseException ex) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "start must be an ISO-8601 instant, e.g. 2026-11-20T00:00:00Z.");
        }
        try {
            return summaries.produce(e, from);
        } catch (Summaries.NotAClosedPeriod ex) {
            throw new HttpStatusException(ex.notEnded() ? HttpStatus.CONFLICT : HttpStatus.BAD_REQUEST, "Not summarised: " + ex.getMessage());
        }
    }

    @Serdeable
    public record Saved(String id, int version) {
    }

    @Serdeable
    public record Refusal(String message, List<ConfigProblem> problems) {
    }

    @Error(exception = ConfigRejected.class)
    public HttpResponse<Refusal> rejected(ConfigRejected e) {
        return HttpResponse.<Refusal>status(HttpStatus.UNPROCESSABLE_ENTITY)
                .body(new Refusal("The endpoint was not stored: fix every problem listed and send it again.", e.problems()));
    }

    private static void admin(Authentication auth) {
        if (auth.getRoles().stream().noneMatch(ADMINS::contains)) {
            throw new HttpStatusException(HttpStatus.FORBIDDEN, "This needs the tenant-admin role.");
        }
    }
}
