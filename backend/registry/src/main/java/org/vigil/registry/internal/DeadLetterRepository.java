package org.vigil.registry.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.vigil.registry.DeadLetterRow;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface DeadLetterRepository extends GenericRepository<DeadLetterRow, UUID> {

    // ON CONFLICT: a message redelivered after a crash must not leave a second dead letter.
    @Query("""
            INSERT INTO dead_letters (tenant_id, dead_letter_id, received_at, subject, error_code, reason, payload, stream_seq)
            VALUES (:tenantId, :id, :receivedAt, :subject, :errorCode, :reason, :payload, :streamSeq)
            ON CONFLICT DO NOTHING""")
    void insertOnce(String tenantId, UUID id, Instant receivedAt, String subject, String errorCode, String reason,
                    byte[] payload, @Nullable Long streamSeq);

    @Query("""
            SELECT * FROM dead_letters WHERE tenant_id = :tenantId
            ORDER BY received_at DESC, dead_letter_id DESC LIMIT :limit""")
    List<DeadLetterRow> newest(String tenantId, int limit);

    @Query("""
            SELECT * FROM dead_letters WHERE tenant_id = :tenantId AND (received_at, dead_letter_id) < (:before, :beforeId)
            ORDER BY received_at DESC, dead_letter_id DESC LIMIT :limit""")
    List<DeadLetterRow> olderThan(String tenantId, Instant before, UUID beforeId, int limit);
}
