package org.vigil.ehr.auth;

import io.micronaut.data.connection.ConnectionDefinition;
import io.micronaut.data.connection.ConnectionStatus;
import io.micronaut.data.connection.ConnectionSynchronization;
import io.micronaut.transaction.TransactionCallback;
import io.micronaut.transaction.TransactionDefinition;
import io.micronaut.transaction.TransactionOperations;
import io.micronaut.transaction.TransactionStatus;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Optional;

/**
 * The least of a transaction manager for {@link org.vigil.registry.TenantScope} in a test: each {@code execute} is
 * one PostgreSQL transaction on a new connection, committed when the callback returns, rolled back when it throws.
 * (The application context would start the alert circuit's deliveries, which need NATS; this test needs only SQL.)
 */
final class JdbcTransactions implements TransactionOperations<Connection> {
    private final String url;
    private final String user;
    private final String password;

    JdbcTransactions(String url, String user, String password) {
        this.url = url;
        this.user = user;
        this.password = password;
    }

    @Override
    public Connection getConnection() {
        throw new IllegalStateException("no ambient connection: use execute");
    }

    @Override
    public boolean hasConnection() {
        return false;
    }

    @Override
    public Optional<? extends TransactionStatus<?>> findTransactionStatus() {
        return Optional.empty();
    }

    @Override
    public <R> R execute(TransactionDefinition definition, TransactionCallback<Connection, R> callback) {
        try (Connection c = DriverManager.getConnection(url, user, password)) {
            c.setAutoCommit(false);
            Status status = new Status(c, definition);
            try {
                R result = callback.call(status);
                if (status.rollbackOnly) {
                    c.rollback();
                } else {
                    c.commit();
                }
                return result;
            } catch (Exception e) {
                c.rollback();
                if (e instanceof RuntimeException) {
                    throw (RuntimeException) e;
                }
                throw new IllegalStateException(e);
            } finally {
                status.completed = true;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Status implements TransactionStatus<Connection>, ConnectionStatus<Connection> {
        private final Connection connection;
        private final TransactionDefinition definition;
        boolean rollbackOnly;
        boolean completed;

        Status(Connection connection, TransactionDefinition definition) {
            this.connection = connection;
            this.definition = definition;
        }

        @Override
        public Object getTransaction() {
            return connection;
        }

        @Override
        public Connection getConnection() {
            return connection;
        }

        @Override
        public ConnectionStatus<Connection> getConnectionStatus() {
            return this;
        }

        @Override
        public boolean isNew() {
            return true;
        }

        @Override
        public ConnectionDefinition getDefinition() {
            return ConnectionDefinition.DEFAULT;
        }

        @Override
        public void registerSynchronization(ConnectionSynchronization synchronization) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isNewTransaction() {
            return true;
        }

        @Override
        public void setRollbackOnly() {
            rollbackOnly = true;
        }

        @Override
        public boolean isRollbackOnly() {
            return rollbackOnly;
        }

        @Override
        public boolean isCompleted() {
            return completed;
        }

        @Override
        public TransactionDefinition getTransactionDefinition() {
            return definition;
        }
    }
}
