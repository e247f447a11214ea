package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Error;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.config.ConfigProblem;
import org.vigil.alerting.config.AlertConfigReader;
import org.vigil.alerting.config.ConfigRejected;

import java.util.List;
import java.util.UUID;

/**
 * The tenant's alert rules and each patient's programs, overrides and snooze, as documents (YAML or JSON). A
 * document with any problem is refused with 422 listing every problem with its field and line; a change based on
 * an outdated version (If-Match) is refused with 412.
 */
@Controller("/api/v1")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class AlertConfigController {
    private final AlertConfigs configs;

    public AlertConfigController(AlertConfigs configs) {
        this.configs = configs;
    }

    @Get(value = "/alert-config", produces = {"application/yaml", MediaType.APPLICATION_JSON})
    public HttpResponse<String> current(Authentication auth) {
        AlertConfigs.Current c = configs.current(CurrentTenant.of(auth));
        return HttpResponse.ok(c.document()).header(HttpHeaders.ETAG, "\"" + c.version() + "\"")
                .contentType(c.document().stripLeading().startsWith("{") ? MediaType.APPLICATION_JSON_TYPE : MediaType.of("application/yaml"));
    }

    @Put(value = "/alert-config", consumes = {"application/yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public HttpResponse<Saved> put(Authentication auth, @Body String document, @Nullable @Header(HttpHeaders.IF_MATCH) String ifMatch) {
        Integer expected = null;
        if (ifMatch != null) {
            try {
                expected = Integer.parseInt(ifMatch.replace("\"", "").strip());
            } catch (NumberFormatException e) {
                throw new HttpStatusException(HttpStatus.BAD_REQUEST, "If-Match must be the ETag of GET /api/v1/alert-config.");
            }
        }
        try {
            AlertConfigs.Current c = configs.put(CurrentTenant.of(auth), document, auth.getName(), expected);
            return HttpResponse.ok(new Saved(c.version())).header(HttpHeaders.ETAG, "\"" + c.version() + "\"");
        } catch (IllegalStateException e) {
            if (e.getMessage() != null && e.getMessage().startsWith("The configuration changed")) {
                throw new HttpStatusException(HttpStatus.PRECONDITION_FAILED, e.getMessage());
            }
            throw e;
        }
    }

    /**
     * Checks a document without applying it, for configuration kept as files (ops/tenant-config): plain text, one
     * problem per line as {@code line N: field: message}, so a terminal or an editor can jump to it.
     */
    @Post(value = "/alert-config/check", consumes = {"application/yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN},
            produces = MediaType.TEXT_PLAIN)
    public HttpResponse<String> check(Authentication auth, @Body String document) {
        int current = configs.current(CurrentTenant.of(auth)).version();
        try {
            AlertConfigReader.read(document);
            return HttpResponse.ok("valid; the version in force is " + current + "\n").header(HttpHeaders.ETAG, "\"" + current + "\"");
        } catch (ConfigRejected e) {
            StringBuilder b = new StringBuilder();
            e.problems().forEach(p -> b.append("line ").append(p.line()).append(": ").append(p.field()).append(": ")
                    .append(p.message()).append('\n'));
            return HttpResponse.<String>status(HttpStatus.UNPROCESSABLE_ENTITY).body(b.toString());
        }
    }

    @Get(value = "/patients/{id}/alert-settings", produces = {"application/yaml", MediaType.APPLICATION_JSON})
    public String patient(Authentication auth, @PathVariable UUID id) {
        return configs.patientDocument(CurrentTenant.of(auth), id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND,
                        "No alert settings for this patient: the tenant's default programs apply."));
    }

    @Put(value = "/patients/{id}/alert-settings", consumes = {"application/yaml", "text/yaml", MediaType.APPLICATION_JSON, MediaType.TEXT_PLAIN})
    public Saved putPatient(Authentication auth, @PathVariable UUID id, @Body String document) {
        if (!configs.putPatient(CurrentTenant.of(auth), id, document, auth.getName())) {
            throw new HttpStatusException(HttpStatus.NOT_FOUND, "No such patient.");
        }
        return new Saved(null);
    }

    @Serdeable
    public record Saved(@Nullable Integer version) {
    }

    @Serdeable
    public record Refusal(String message, List<ConfigProblem> problems) {
    }

    @Error(exception = ConfigRejected.class)
    public HttpResponse<Refusal> rejected(ConfigRejected e) {
        return HttpResponse.<Refusal>status(HttpStatus.UNPROCESSABLE_ENTITY)
                .body(new Refusal("The document was not applied: fix every problem listed and send it again.", e.problems()));
    }
}
