package org.vigil.registry;

import io.micronaut.transaction.TransactionOperations;
import jakarta.inject.Singleton;
import org.vigil.core.TenantId;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs work in a PostgreSQL transaction bound to one tenant. Row-level security reads the transaction-local
 * setting {@code vigil.tenant}; repositories called inside {@code work} join this transaction, so they can only
 * see and write that tenant's rows. Outside a scope the setting is empty and every table looks empty.
 */
@Singleton
public class TenantScope {
    private final TransactionOperations<Connection> transactions;

    public TenantScope(TransactionOperations<Connection> transactions) {
        this.transactions = transactions;
    }

    /**
     * The binding for statements on platform tables (stream positions) and the id-only functions that scan across
     * tenants as the schema owner: those have no tenant rows, so this names a tenant that holds no data.
     */
    public static final TenantId PLATFORM = new TenantId("platform");

    /**
     * The scope key for input whose subject names no valid tenant: no tenant slug can take it (slugs never start
     * with '~'), so its dead letters are visible to operators only.
     */
    static final String QUARANTINE = "~quarantine";

    /** Writes within one scope; {@code key} is a tenant slug or {@link #QUARANTINE}. */
    <T> T inScope(String key, Supplier<T> work) {
        return transactions.executeWrite(status -> {
            bind(status.getConnection(), key);
            return work.get();
        });
    }

    /** Writes in one tenant's scope with the transaction's JDBC connection, for statements repositories can't express. */
    public <T> T writeInTenant(TenantId tenant, Function<Connection, T> work) {
        return transactions.executeWrite(status -> {
            bind(status.getConnection(), tenant.value());
            return work.apply(status.getConnection());
        });
    }

    public <T> T writeInTenant(TenantId tenant, Supplier<T> work) {
        return inScope(tenant.value(), work);
    }

    /**
     * One transaction that writes for several tenants in turn (a stream consumer's batch): {@code work} calls
     * {@link Binder#bind} before each tenant's statements, so row-level security checks each against its own
     * tenant, and the batch commits or rolls back whole.
     */
    public <T> T writeAcrossTenants(Function<Binder, T> work) {
        return transactions.executeWrite(status -> {
            Connection c = status.getConnection();
            return work.apply(tenant -> {
                bind(c, tenant.value());
                return c;
            });
        });
    }

    /** Binds the transaction to a tenant and returns its connection. */
    public interface Binder {
        Connection bind(TenantId tenant);
    }

    public <T> T readInTenant(TenantId tenant, Supplier<T> work) {
        return transactions.executeRead(status -> {
            bind(status.getConnection(), tenant.value());
            return work.get();
        });
    }

    private static void bind(Connection connection, String tenant) {
        try (PreparedStatement ps = connection.prepareStatement("SELECT set_config('vigil.tenant', ?, true)")) {
            ps.setString(1, tenant);
            ps.execute();
        } catch (SQLException e) {
            throw new IllegalStateException("could not bind the transaction to tenant " + tenant, e);
        }
    }
}
