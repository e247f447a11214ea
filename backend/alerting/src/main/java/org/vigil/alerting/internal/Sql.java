package org.vigil.alerting.internal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;

/** One statement with positional arguments, for the many inserts whose only work is binding them in order. */
final class Sql {
    private Sql() {
    }

    /** Binds {@code args} in order (an Instant as a timestamp, a non-finite double as NULL) and executes. */
    static int update(Connection c, String sql, Object... args) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                Object a = args[i];
                if (a instanceof Instant t) {
                    a = Timestamp.from(t);
                } else if (a instanceof Double d && !Double.isFinite(d)) {
                    a = null;
                }
                ps.setObject(i + 1, a);
            }
            return ps.executeUpdate();
        }
    }
}
