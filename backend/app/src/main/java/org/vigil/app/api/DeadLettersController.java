package org.vigil.app.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpStatus;
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
import java.time.Instant;
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
    public record DeadLetterView(UUID id, Instant receivedAt, String subject, String errorCode, String reason,
                                 @Nullable String payload, String payloadBase64, @Nullable Long streamSeq) {
    }

    @Serdeable
    public record DeadLetterPage(List<DeadLetterView> items, @Nullable String next) {
    }

    private final DeadLetters deadLetters;

    public DeadLettersController(DeadLetters deadLetters) {
        this.deadLetters = deadLetters;
    }

    @Get
    public DeadLetterPage list(Authentication auth, @Nullable @QueryValue String cursor, @Nullable @QueryValue Integer limit) {
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
        List<DeadLetterRow> rows = deadLetters.page(CurrentTenant.of(auth), before, beforeId, size + 1);
        String next = null;
        if (rows.size() > size) {
            rows = rows.subList(0, size);
            DeadLetterRow last = rows.get(size - 1);
            next = last.receivedAt() + "_" + last.deadLetterId();
        }
        return new DeadLetterPage(rows.stream().map(DeadLettersController::view).toList(), next);
    }

    private static DeadLetterView view(DeadLetterRow r) {
        return new DeadLetterView(r.deadLetterId(), r.receivedAt(), r.subject(), r.errorCode(), r.reason(),
                utf8(r.payload()), Base64.getEncoder().encodeToString(r.payload()), r.streamSeq());
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
