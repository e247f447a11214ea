package org.vigil.telemetry.internal;

import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.vigil.telemetry.ClickHouseSettings;
import ru.yandex.clickhouse.ClickHouseConnection;
import ru.yandex.clickhouse.ClickHouseDataSource;
import ru.yandex.clickhouse.settings.ClickHouseProperties;

import java.sql.SQLException;

/**
 * Connections to ClickHouse over HTTP with the only driver that works with the 18.16 server we run
 * (ru.yandex clickhouse-jdbc 0.2.6). Compression must stay off: the Debian server's compressed responses are broken.
 */
@Singleton
public class ClickHouseConnections {
    private final ClickHouseSettings settings;
    private final ClickHouseDataSource database;
    private final ClickHouseDataSource server;
    private ClickHouseConnection shared;

    public ClickHouseConnections(ClickHouseSettings settings) {
        this.settings = settings;
        this.database = new ClickHouseDataSource(settings.url() + "/" + settings.database(), properties());
        this.server = new ClickHouseDataSource(settings.url() + "/default", properties());
    }

    public String database() {
        return settings.database();
    }

    /**
     * The long-lived connection to our database; callers close their statements, never the connection. Each
     * driver connection builds its own pooled HTTP client, so opening one per query cost 1–1.5 ms more here than
     * reusing one (the pooled client is thread-safe, statements are per call).
     */
    public synchronized ClickHouseConnection connection() throws SQLException {
        if (shared == null || shared.isClosed()) {
            shared = database.getConnection();
        }
        return shared;
    }

    @PreDestroy
    synchronized void close() throws SQLException {
        if (shared != null) {
            shared.close();
        }
    }

    /** A connection to the {@code default} database, for creating ours. */
    public ClickHouseConnection openServer() throws SQLException {
        return server.getConnection();
    }

    private ClickHouseProperties properties() {
        ClickHouseProperties p = new ClickHouseProperties();
        p.setCompress(false);
        p.setDecompress(false);
        p.setUser(settings.user());
        if (!settings.password().isEmpty()) {
            p.setPassword(settings.password());
        }
        p.setSocketTimeout(settings.socketTimeoutMs());
        p.setUseServerTimeZone(false);
        p.setUseTimeZone("UTC");
        return p;
    }
}
