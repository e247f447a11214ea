package org.vigil.registry.internal;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
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

    // Optional filters are typed with CAST so PostgreSQL can plan them when they are null.
    @Query("""
            SELECT * FROM dead_letters WHERE tenant_id = :tenantId
              AND (CAST(:code AS text) IS NULL OR error_code = :code)
              AND (CAST(:format AS text) IS NULL OR split_part(subject, '.', 4) = :format)
              AND (CAST(:since AS timestamptz) IS NULL OR received_at >= :since)
              AND (CAST(:before AS timestamptz) IS NULL OR (received_at, dead_letter_id) < (:before, CAST(:beforeId AS uuid)))
            ORDER BY received_at DESC, dead_letter_id DESC LIMIT :limit""")
    List<DeadLetterRow> page(String tenantId, @Nullable String code, @Nullable String format, @Nullable Instant since,
                             @Nullable Instant before, @Nullable UUID beforeId, int limit);

    @Query("SELECT count(*) FROM dead_letters WHERE tenant_id = :tenantId AND received_at >= :since")
    long countSince(String tenantId, Instant since);

    @Query("SELECT * FROM dead_letters WHERE tenant_id = :tenantId AND dead_letter_id = :id")
    Optional<DeadLetterRow> find(String tenantId, UUID id);

    @Query("""
            UPDATE dead_letters SET resubmitted_at = :at, resubmissions = resubmissions + 1
            WHERE tenant_id = :tenantId AND dead_letter_id = :id""")
    void markResubmitted(String tenantId, UUID id, Instant at);
}
