package org.vigil.bench;

import io.micronaut.context.ApplicationContext;
import org.vigil.alerting.Alerts;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.ui.data.PatientCharts;
import org.vigil.ui.data.PatientRoster;

import java.util.HashMap;
import java.util.Map;

/**
 * The services the dashboard's views call, in this process and wired by Micronaut as in the backend (the same beans,
 * PostgreSQL as the application role through Hikari, ClickHouse through the telemetry store), so that their server
 * time is measured without a browser or Vaadin in the way. Everything that works in the background is off: the
 * backend running next to it owns the evaluator, ingest, EHR sync and the dashboard's web server. Deliveries has
 * no switch; polling once an hour it stays idle (nothing here commits an alert to wake it).
 */
final class DashboardServices implements AutoCloseable {
    private final ApplicationContext context;

    private DashboardServices(ApplicationContext context) {
        this.context = context;
    }

    static DashboardServices start(BenchEnv env) {
        return new DashboardServices(ApplicationContext.builder()
                .properties(properties(env))
                // the stack's VIGIL_* variables would otherwise override these (VIGIL_UI_PORT is vigil.ui.port)
                .environmentPropertySource(false)
                .deduceEnvironment(false)
                .banner(false)
                .start());
    }

    static Map<String, Object> properties(BenchEnv env) {
        Map<String, Object> p = new HashMap<>();
        p.put("datasources.default.url", env.pgUrl());
        p.put("datasources.default.username", env.pgApp());
        p.put("datasources.default.password", env.pgAppPassword());
        p.put("datasources.default.driver-class-name", "org.postgresql.Driver");
        p.put("datasources.default.dialect", "POSTGRES");
        p.put("datasources.default.schema-generate", "NONE");
        p.put("datasources.default.maximum-pool-size", 4);
        p.put("vigil.clickhouse.url", "jdbc:clickhouse://" + env.clickHouseHttp());
        p.put("vigil.clickhouse.database", "vigil");
        p.put("vigil.ingest.enabled", false);
        p.put("vigil.ingest.nats-url", env.natsUrl());
        p.put("vigil.alerting.enabled", false);
        p.put("vigil.alerting.nats-url", env.natsUrl());
        p.put("vigil.alerting.delivery.poll", "1h");
        p.put("vigil.ehr.enabled", false);
        p.put("vigil.ehr.nats-url", env.natsUrl());
        p.put("vigil.ui.enabled", false);
        return p;
    }

    PatientCharts charts() {
        return context.getBean(PatientCharts.class);
    }

    PatientRoster roster() {
        return context.getBean(PatientRoster.class);
    }

    Alerts alerts() {
        return context.getBean(Alerts.class);
    }

    ReadingHistory history() {
        return context.getBean(ReadingHistory.class);
    }

    @Override
    public void close() {
        context.close();
    }
}
