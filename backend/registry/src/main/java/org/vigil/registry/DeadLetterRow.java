package org.vigil.registry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;
import java.util.UUID;

@MappedEntity("dead_letters")
public record DeadLetterRow(
        @Id UUID deadLetterId,
        String tenantId,
        Instant receivedAt,
        String subject,
        String errorCode,
        String reason,
        byte[] payload,
        @Nullable Long streamSeq,
        @Nullable Instant resubmittedAt,
        int resubmissions) {
}
