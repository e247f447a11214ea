package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import org.vigil.core.ErrorCode;
import org.vigil.core.Subjects;
import org.vigil.core.TenantId;
import org.vigil.edge.StreamPublisher;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.HttpStatusException;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.micronaut.serde.annotation.Serdeable;
import org.vigil.registry.DeadLetterRow;
import org.vigil.registry.DeadLetters;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/** Inputs the pipeline could not use, newest first, with the raw bytes so they can be fixed and replayed. */
@Controller("/api/v1/dead-letters")
@Secured(SecurityRule.IS_AUTHENTICATED)
@ExecuteOn(TaskExecutors.BLOCKING)
public class DeadLettersController {

    /**
     * @param payload      the raw bytes as UTF-8 text when they are valid UTF-8, else null
     * @param payloadBase64 the raw bytes, always
     */
    @Serdeable
    public record DeadLetterView(UUID id, Instant receivedAt, String subject, String format, String errorCode,
                                 String reason, @Nullable String payload, String payloadBase64, @Nullable Long streamSeq,
                                 @Nullable Instant resubmittedAt, int resubmissions) {
    }

    /** A re-submission is on the stream again; its outcome is a stored reading or a new dead letter. */
    @Serdeable
    public record Resubmitted(UUID id, String subject, long streamSeq) {
    }

    @Serdeable
    public record DeadLetterPage(List<DeadLetterView> items, @Nullable String next) {
    }

    private final DeadLetters deadLetters;
    private final StreamPublisher stream;

    public DeadLettersController(DeadLetters deadLetters, StreamPublisher stream) {
        this.deadLetters = deadLetters;
        this.stream = stream;
    }

    /**
     * @param code   only this error code (e.g. IMPLAUSIBLE_VALUE)
     * @param format only this source format (canonical, gatt, omh, hub, hl7v2)
     * @param since  only those received at or after this instant
     */
    @Get
    public DeadLetterPage list(Authentication auth, @Nullable @QueryValue String code, @Nullable @QueryValue String format,
                               @Nullable @QueryValue Instant since,
                               @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
        if (code != null && Arrays.stream(ErrorCode.values()).noneMatch(c -> c.name().equals(code))) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'code' must be one of " + Arrays.toString(ErrorCode.values()) + ".");
        }
        int size = limit == null ? 100 : limit;
        if (size < 1 || size > 1000) {
            throw new HttpStatusException(HttpStatus.BAD_REQUEST, "'limit' must be between 1 and 1000.");
        }
        Instant before = null;
        UUID beforeId = null;
        if (cursor != null) {
            String[] p = cursor.split("_", 2);
            try {
                before = Instant.parse(p[0]);
                beforeId = UUID.fromString(p[1]);
            } catch (DateTimeParseException | IllegalArgumentException | ArrayIndexOutOfBoundsException e) {
                throw new HttpStatusException(HttpStatus.BAD_REQUEST, "Cursor '" + cursor + "' was not issued by this API.");
            }
        }
        List<DeadLetterRow> rows = deadLetters.page(CurrentTenant.of(auth), new DeadLetters.Filter(code, format, since),
                before, beforeId, size + 1);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            DeadLetterRow last = rows.get(size - 1);
            next = last.receivedAt() + "_" + last.deadLetterId();
        }
        return new DeadLetterPage(rows.stream().map(DeadLettersController::view).toList(), next);
    }

    /**
     * Puts the raw payload back on its subject, after the mapping, the registry or the device was fixed. It then
     * flows or fails again with a new dead letter; readings of it that were stored before are not stored twice.
     */
    @Post("/{id}/resubmit")
    public HttpResponse<Resubmitted> resubmit(Authentication auth, @PathVariable UUID id) {
        TenantId tenant = CurrentTenant.of(auth);
        DeadLetterRow row = deadLetters.find(tenant, id)
                .orElseThrow(() -> new HttpStatusException(HttpStatus.NOT_FOUND, "No dead letter " + id + "."));
        if (!Subjects.tenantOf(row.subject()).map(tenant.value()::equals).orElse(false)) {
            throw new HttpStatusException(HttpStatus.CONFLICT, "Dead letter " + id + " did not arrive on one of this tenant's subjects.");
        }
        Headers headers = new Headers().put(Subjects.MAY_BE_STORED_HEADER, "resubmit:" + id);
        try {
            PublishAck ack = stream.publishDurably(row.subject(), row.payload(), null, Duration.ofSeconds(5), headers);
            deadLetters.markResubmitted(tenant, id, Instant.now());
            return HttpResponse.accepted().body(new Resubmitted(id, row.subject(), ack.getSeqno()));
        } catch (IOException e) {
            throw new HttpStatusException(HttpStatus.SERVICE_UNAVAILABLE, "The readings stream did not take the message: " + e.getMessage());
        }
    }

    private static DeadLetterView view(DeadLetterRow r) {
        return new DeadLetterView(r.deadLetterId(), r.receivedAt(), r.subject(), Subjects.formatOf(r.subject()).orElse(""),
                r.errorCode(), r.reason(), utf8(r.payload()), Base64.getEncoder().encodeToString(r.payload()), r.streamSeq(),
                r.resubmittedAt(), r.resubmissions());
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
