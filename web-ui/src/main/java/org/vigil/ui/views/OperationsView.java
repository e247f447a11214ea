package org.vigil.ui.views;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import jakarta.annotation.security.RolesAllowed;
import org.vigil.alerting.CircuitStatus;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.ingest.IngestMonitor;
import org.vigil.ingest.IngestStats;
import org.vigil.registry.DeadLetters;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.TelemetryUnavailableException;
import org.vigil.ui.auth.Access;
import org.vigil.ui.auth.SignedInUser;
import org.vigil.ui.format.Ago;
import org.vigil.ui.live.StatusBroadcaster;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Every adapter's health on one screen, refreshed every few seconds: the message bus and its backlog, the
 * telemetry writer, the alert circuit's canary, each EHR endpoint with its outbox, and dead letters. Each tile
 * says up, degraded or down in words.
 */
@Route(value = "operations", layout = MainLayout.class)
@PageTitle("Operations · Vigil")
@Prototype
@RolesAllowed({Access.CARE_MANAGER, Access.PHYSICIAN, Access.TENANT_ADMIN, Access.PLATFORM_ADMIN})
public class OperationsView extends Div {
    private final IngestMonitor ingest;
    private final ReadingHistory telemetry;
    private final CircuitStatus circuit;
    private final EhrEndpoints endpoints;
    private final DeadLetters deadLetters;
    private final Clock clock;
    private final SignedInUser user;
    final Div tiles = new Div();
    final Div ehr = new Div();
    private final H3 ehrTitle = new H3("EHR endpoints");
    /** A platform administrator's choice of tenant board; tenants' users see their own only. */
    final Select<TenantId> tenantPick = new Select<>();
    /** The tenant whose canary, dead letters and EHR endpoints show: the user's, or the one picked; null: none. */
    private TenantId shown;

    public OperationsView(IngestMonitor ingest, ReadingHistory telemetry, CircuitStatus circuit, EhrEndpoints endpoints,
                          DeadLetters deadLetters, StatusBroadcaster ticks, Clock clock) {
        this.ingest = ingest;
        this.telemetry = telemetry;
        this.circuit = circuit;
        this.endpoints = endpoints;
        this.deadLetters = deadLetters;
        this.clock = clock;
        this.user = Access.current();
        addClassName("vigil-page");
        tiles.addClassName("vigil-tiles");
        ehr.addClassName("vigil-tiles");
        shown = user.tenant() == null ? null : user.tenantId();
        add(new H2("Operations"), new Paragraph(user.tenant() == null
                ? "Shared components of the platform; pick a tenant to see its alert canary, dead letters and EHR endpoints."
                : "Health of everything between the devices and the EHR for " + user.tenant() + "."));
        if (user.tenant() == null) {
            tenantPick.setLabel("Tenant");
            tenantPick.setItems(circuit.activeTenants());
            // Select also asks the generator for its empty item's label (null)
            tenantPick.setItemLabelGenerator(t -> t == null ? "Shared components only" : t.value());
            tenantPick.setEmptySelectionAllowed(true);
            tenantPick.setEmptySelectionCaption("Shared components only");
            tenantPick.addValueChangeListener(e -> {
                shown = e.getValue();
                refresh();
            });
            add(tenantPick);
        }
        add(tiles, ehrTitle, ehr);
        refresh();
        Parts.whileAttached(this, ui -> ticks.onTick(() -> ui.access(this::refresh)));
    }

    void refresh() {
        Instant now = clock.instant();
        tiles.removeAll();
        boolean bus = ingest.connected();
        long backlog = ingest.pending();
        tiles.add(tile("Message bus (NATS)", bus ? backlog > 10_000 ? "degraded" : "up" : "down",
                bus ? "consumer lag " + (backlog < 0 ? "unknown" : backlog + " messages") : "unreachable: readings wait on the devices and hubs"));
        IngestStats stats = ingest.stats();
        String writer;
        String detail;
        try {
            telemetry.ping();
            writer = stats.failedFlushes() > 0 && stats.lastCommit() != null && stats.lastCommit().isBefore(now.minusSeconds(60)) && backlog > 0
                    ? "degraded" : "up";
            detail = stats.stored() + " stored since start" + (stats.lastCommit() == null ? "" : ", last write "
                    + Ago.since(stats.lastCommit(), now) + " ago") + (stats.failedFlushes() > 0 ? ", " + stats.failedFlushes() + " failed writes" : "");
        } catch (TelemetryUnavailableException e) {
            writer = "down";
            detail = "ClickHouse does not answer; readings wait in the stream and alerts are not affected";
        }
        tiles.add(tile("Telemetry writer (ClickHouse)", writer, detail));
        if (user.tenant() == null) {
            List<CircuitStatus.Alarm> alarms = circuit.openAlarms();
            tiles.add(tile("Platform alarms", alarms.isEmpty() ? "up" : "down", alarms.isEmpty() ? "none open"
                    : alarms.size() + " open: " + String.join("; ", alarms.stream().limit(3).map(a -> a.tenant() + " " + a.kind()).toList())));
        }
        TenantId tenant = shown;
        ehrTitle.setVisible(tenant != null);
        ehr.setVisible(tenant != null);
        if (tenant == null) {
            return;
        }
        CircuitStatus.Canary canary = circuit.of(tenant).canary();
        tiles.add(canary == null ? tile("Alert canary", "unknown", "not started for this tenant")
                : tile("Alert canary", "ok".equals(canary.status()) ? "up" : "late".equals(canary.status()) ? "down" : "unknown",
                canary.latencyMs() == null ? canary.status() : "last round trip " + canary.latencyMs() + " ms"
                        + (canary.lastOutAt() == null ? "" : ", " + Ago.since(canary.lastOutAt(), now) + " ago")));
        long dead = deadLetters.countSince(tenant, now.minus(Duration.ofHours(24)));
        tiles.add(tile("Dead letters", dead == 0 ? "up" : "degraded", dead + " in the last 24 h"));

        ehr.removeAll();
        List<EhrEndpoints.Status> list = endpoints.status(tenant);
        if (list.isEmpty()) {
            ehr.add(new Paragraph("No EHR endpoint is configured."));
        }
        for (EhrEndpoints.Status s : list) {
            String held = s.held().isEmpty() ? "" : ", held " + s.held().entrySet().stream()
                    .map(e -> e.getValue() + " " + e.getKey()).reduce((a, b) -> a + ", " + b).orElse("");
            ehr.add(tile(s.id() + " (" + s.kind() + ")", s.enabled() ? s.health() : "disabled",
                    "outbox " + s.pending() + " pending" + held + ", " + s.dead() + " dead"
                            + (s.oldestPendingAt() == null ? "" : ", oldest " + Ago.since(s.oldestPendingAt(), now))
                            + (s.healthDetail() == null ? "" : " — " + s.healthDetail())));
        }
    }

    /** A tile with its state in words and as a shape, never by colour alone. */
    static Component tile(String name, String state, String detail) {
        String level = switch (state) {
            case "up" -> "ok";
            case "down" -> "bad";
            default -> "warn";
        };
        Div t = new Div(new Span(name), Badges.state(state, level), new Span(detail));
        t.addClassName("vigil-tile");
        t.getElement().setAttribute("data-state", state);
        return t;
    }


}
