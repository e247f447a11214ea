package org.vigil.alerting.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A consumer's position in a stream, kept in PostgreSQL with the effects it covers so that both commit together:
 * exactly-once effects from an at-least-once stream. The update is a compare-and-set, so a second process
 * evaluating the same stream cannot commit over the first; it notices and starts again from the stored position.
 */
final class StreamPositions {
    private StreamPositions() {
    }

    record Position(long effectsSeq, long memorySeq) {
    }

    static Optional<Position> read(Connection c, String consumer) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT effects_seq, memory_seq FROM stream_positions WHERE consumer = ?")) {
            ps.setString(1, consumer);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(new Position(rs.getLong(1), rs.getLong(2))) : Optional.empty();
            }
        }
    }

    static void create(Connection c, String consumer, String stream, long seq) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO stream_positions (consumer, stream, effects_seq, memory_seq) "
                + "VALUES (?, ?, ?, ?) ON CONFLICT (consumer) DO NOTHING")) {
            ps.setString(1, consumer);
            ps.setString(2, stream);
            ps.setLong(3, seq);
            ps.setLong(4, seq);
            ps.executeUpdate();
        }
    }

    /** Moves the position from {@code expected}; false when someone else moved it first. */
    static boolean advance(Connection c, String consumer, Position expected, Position next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("UPDATE stream_positions SET effects_seq = ?, memory_seq = ?, updated_at = now() "
                + "WHERE consumer = ? AND effects_seq = ? AND memory_seq = ?")) {
            ps.setLong(1, next.effectsSeq());
            ps.setLong(2, next.memorySeq());
            ps.setString(3, consumer);
            ps.setLong(4, expected.effectsSeq());
            ps.setLong(5, expected.memorySeq());
            return ps.executeUpdate() == 1;
        }
    }
}
