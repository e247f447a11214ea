package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.core.DeadLetter;
import org.vigil.core.DeadLetterSink;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;
import org.vigil.edge.StreamPublisher;
import org.vigil.core.WebhookSignature;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Payload;
import org.vigil.normalize.Problem;
import org.vigil.registry.WebhookKeys;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Vendor clouds deliver hub envelopes here: {@code POST /webhooks/v1/{tenant}/hub} with a {@code Vigil-Signature}
 * (HMAC-SHA256 with the tenant's key, a timestamp and a single-use nonce). The envelope is checked with the same
 * decoder the pipeline uses, so the sender learns at once what is wrong with it, then put on the readings stream;
 * 202 means it is durably there. A retry of the same body is a stream duplicate and stored once.
 * <p>
 * Authentication failures get one vague answer (no tenant or key enumeration) and are logged with the reason;
 * they are not dead-lettered, since anyone could fill that table.
 */
@Controller("/webhooks/v1/{tenant}")
@Secured(SecurityRule.IS_ANONYMOUS)
@ExecuteOn(TaskExecutors.BLOCKING)
public class HubWebhookController {
    private static final Logger LOG = LoggerFactory.getLogger(HubWebhookController.class);
    private static final Duration TOLERANCE = Duration.ofMinutes(5);
    private static final Duration PUBLISH_TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_BODY = 1 << 20;

    @Serdeable
    public record Accepted(int readings, List<ProblemView> problems, boolean duplicate) {
    }

    @Serdeable
    public record ProblemView(String code, String reason, @Nullable String location) {
        static ProblemView of(Problem p) {
            return new ProblemView(p.code().name(), p.reason(), p.location());
        }
    }

    @Serdeable
    public record Refused(String message, List<ProblemView> problems) {
    }

    private final WebhookKeys keys;
    private final Decoders decoders;
    private final StreamPublisher stream;
    private final DeadLetterSink deadLetters;
    private final Clock clock;

    public HubWebhookController(WebhookKeys keys, Decoders decoders, StreamPublisher stream, DeadLetterSink deadLetters) {
        this.keys = keys;
        this.decoders = decoders;
        this.stream = stream;
        this.deadLetters = deadLetters;
        this.clock = Clock.systemUTC();
    }

    @Post(uri = "/hub", consumes = MediaType.ALL, produces = MediaType.APPLICATION_JSON)
    public HttpResponse<?> hub(@PathVariable String tenant, @Nullable @Header(WebhookSignature.HEADER) String signature,
                               @Body byte[] body) {
        Instant now = clock.instant();
        if (body.length > MAX_BODY) {
            return HttpResponse.status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
                    .body(new Refused("Bodies are limited to " + MAX_BODY + " bytes; split the upload.", List.of()));
        }
        String refusal = authenticate(tenant, signature, body, now);
        if (refusal != null) {
            LOG.warn("Webhook for tenant '{}' refused: {}", tenant, refusal);
            return HttpResponse.unauthorized().body(new Refused("Request not authenticated.", List.of()));
        }
        TenantId t = new TenantId(tenant);
        Normalized decoded = decoders.decode(new Payload(t, "hub", "", body, now));
        List<ProblemView> problems = decoded.problems().stream().map(ProblemView::of).toList();
        String device = decoded.statuses().isEmpty() ? "webhook" : decoded.statuses().get(0).device();
        String subject = Subjects.ingest(t, "hub", device);
        if (decoded.isRejected()) {
            Problem first = decoded.problems().get(0);
            try {
                deadLetters.write(List.of(new DeadLetter(tenant, subject, first.code(), first.reason(), body, now, -1)));
            } catch (Exception e) {
                // Unrecorded, the envelope would be lost: make the sender keep it and retry.
                LOG.warn("Could not dead-letter a webhook envelope for tenant '{}': {}", tenant, e.toString());
                return unavailable("The envelope could not be recorded; retry it unchanged.");
            }
            return HttpResponse.unprocessableEntity().body(new Refused("Nothing in this envelope can be used.", problems));
        }
        try {
            boolean duplicate = stream.publishDurably(subject, body, "hub:" + tenant + ":" + sha256(body), PUBLISH_TIMEOUT).isDuplicate();
            return HttpResponse.accepted().body(new Accepted(decoded.readings().size(), problems, duplicate));
        } catch (IOException e) {
            LOG.warn("Webhook envelope for tenant '{}' could not be put on the stream: {}", tenant, e.getMessage());
            return unavailable("The readings stream did not confirm the envelope; retry it unchanged.");
        }
    }

    private static HttpResponse<Refused> unavailable(String message) {
        return HttpResponse.<Refused>status(HttpStatus.SERVICE_UNAVAILABLE).header("Retry-After", "5")
                .body(new Refused(message, List.of()));
    }

    /** Null when the request is authentic and fresh, else the reason (for the log only). */
    private String authenticate(String tenant, String header, byte[] body, Instant now) {
        if (!TenantId.isValid(tenant)) {
            return "not a tenant id";
        }
        WebhookSignature signature;
        try {
            signature = WebhookSignature.parse(header);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        TenantId t = new TenantId(tenant);
        Optional<byte[]> secret = keys.secret(t, signature.keyId());
        if (secret.isEmpty()) {
            return "no active key '" + signature.keyId() + "' for this tenant";
        }
        String problem = signature.check(secret.get(), body, now, TOLERANCE);
        if (problem != null) {
            return problem;
        }
        // Last, so that a forged request cannot use up a nonce.
        if (!keys.firstUse(t, signature.nonce(), now.minus(TOLERANCE.multipliedBy(2)))) {
            return "nonce '" + signature.nonce() + "' was already used: a replayed request";
        }
        return null;
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body), 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
