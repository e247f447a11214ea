package org.vigil.app;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;

/**
 * Where the alert evaluator has got on the readings stream, as committed in PostgreSQL ({@code stream_positions},
 * a platform table without tenant rows, read as its owner): effects (alerts, states) up to {@code effectsSeq},
 * windows snapshotted up to {@code memorySeq}. Tests wait on it instead of sleeping.
 */
public record EvaluatorPosition(long effectsSeq, long memorySeq) {
    /** The evaluator's default name in {@code stream_positions} (vigil.alerting.consumer). */
    public static final String CONSUMER = "alert-evaluator";

    public static EvaluatorPosition read() {
        try (Connection c = DriverManager.getConnection(StackEnv.pgUrl(), StackEnv.ownerUser(), StackEnv.ownerPassword());
             PreparedStatement ps = c.prepareStatement("SELECT effects_seq, memory_seq FROM stream_positions WHERE consumer = ?")) {
            ps.setString(1, CONSUMER);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new EvaluatorPosition(rs.getLong(1), rs.getLong(2)) : new EvaluatorPosition(-1, -1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** Waits until the effects of stream sequence {@code seq} (and all before it) are committed. */
    public static EvaluatorPosition awaitEffects(long seq, Duration timeout) {
        return Eventually.await(timeout, EvaluatorPosition::read, p -> p.effectsSeq() >= seq,
                "the alert evaluator committing sequence " + seq);
    }
}
