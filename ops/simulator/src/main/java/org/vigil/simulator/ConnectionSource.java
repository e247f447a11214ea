package org.vigil.simulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

/** Where the seeder gets its JDBC connection: a plain URL + credentials from the CLI, or a test's own. */
@FunctionalInterface
public interface ConnectionSource {
    Connection open() throws SQLException;

    static ConnectionSource of(String jdbcUrl, String user, String password) {
        return () -> DriverManager.getConnection(jdbcUrl, user, password);
    }
}
