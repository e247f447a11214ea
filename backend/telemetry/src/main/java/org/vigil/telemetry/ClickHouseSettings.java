package org.vigil.telemetry;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * @param url      HTTP JDBC URL without database, e.g. {@code jdbc:clickhouse://127.0.0.1:18123}
 * @param database database holding the telemetry tables; created at start if missing
 */
@ConfigurationProperties("vigil.clickhouse")
public record ClickHouseSettings(
        @Bindable(defaultValue = "jdbc:clickhouse://127.0.0.1:18123") String url,
        @Bindable(defaultValue = "vigil") String database,
        @Bindable(defaultValue = "default") String user,
        @Bindable(defaultValue = "") String password,
        @Bindable(defaultValue = "120000") int socketTimeoutMs) {
}
