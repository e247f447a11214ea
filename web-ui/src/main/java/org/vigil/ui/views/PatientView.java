package org.vigil.ui.views;

import com.vaadin.flow.component.ClientCallable;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.H3;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.tabs.TabSheet;
import com.vaadin.flow.data.renderer.ComponentRenderer;
import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.router.BeforeEnterObserver;
import com.vaadin.flow.router.HasDynamicTitle;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import jakarta.annotation.security.RolesAllowed;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.Alerts;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrItems;
import org.vigil.registry.PatientSummary;
import org.vigil.registry.Patients;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.StoredReading;
import org.vigil.telemetry.TelemetryUnavailableException;
import org.vigil.ui.auth.Access;
import org.vigil.ui.data.PatientCharts;
import org.vigil.ui.data.PatientRoster;
import org.vigil.ui.format.Ago;
import org.vigil.ui.format.Values;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One patient: a trend chart per vital over 24 h to 90 d (drag across a chart, or use the zoom buttons, to look
 * closer), the readings behind them, alert history with its audit trail, devices, and what was sent to the EHR.
 */
@Route(value = "patients/:id", layout = MainLayout.class)
@Prototype
@RolesAllowed({Access.CARE_MANAGER, Access.PHYSICIAN, Access.TENANT_ADMIN})
public class PatientView extends Div implements BeforeEnterObserver, HasDynamicTitle {
    static final List<Duration> RANGES = List.of(Duration.ofHours(24), Duration.ofDays(7), Duration.ofDays(30), Duration.ofDays(90));
    private static final List<String> RANGE_LABELS = List.of("24 h", "7 d", "30 d", "90 d");
    static final Duration SMALLEST_WINDOW = Duration.ofHours(1);

    private final Patients patients;
    private final PatientRoster roster;
    private final PatientCharts charts;
    private final ReadingHistory history;
    private final Alerts alerts;
    private final EhrItems ehr;
    private final Clock clock;
    private final TenantId tenant;
    /** The clinic's: its days are the RPM period's, and the charts' ticks and the tables' times are in it. */
    private final ZoneId zone;

    private UUID patient;
    private String title = "Patient · Vigil";
    Instant from;
    Instant to;
    final Div chartArea = new Div();
    final Span window = new Span();
    final Grid<StoredReading> readings = new Grid<>();
    final Grid<Alerts.AlertView> alertHistory = new Grid<>();
    final Grid<EhrItems.Item> ehrItems = new Grid<>();
    private List<Alerts.AlertView> alertList = List.of();

    public PatientView(Patients patients, PatientRoster roster, PatientCharts charts, ReadingHistory history, Alerts alerts,
                       EhrItems ehr, AlertConfigs configs, Clock clock) {
        this.patients = patients;
        this.roster = roster;
        this.charts = charts;
        this.history = history;
        this.alerts = alerts;
        this.ehr = ehr;
        this.clock = clock;
        this.tenant = Access.current().tenantId();
        this.zone = configs.timeZone(tenant);
        addClassName("vigil-page");
    }

    @Override
    public void beforeEnter(BeforeEnterEvent event) {
        Optional<PatientSummary> found = event.getRouteParameters().get("id").flatMap(PatientView::uuid)
                .flatMap(id -> patients.find(tenant, id));
        removeAll();
        if (found.isEmpty()) {
            // another tenant's patient and a mistyped id look the same: neither exists here
            add(new H2("Patient not found"), new Paragraph("There is no such patient in your organisation."));
            return;
        }
        show(found.get());
    }

    private static Optional<UUID> uuid(String s) {
        try {
            return Optional.of(UUID.fromString(s));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    @Override
    public String getPageTitle() {
        return title;
    }

    private void show(PatientSummary p) {
        patient = p.patientId();
        title = p.displayName() + " · Vigil";
        PatientRoster.Row row = roster.rows(tenant, List.of(p)).get(0);
        Div facts = new Div();
        facts.addClassName("vigil-facts");
        if (!p.identifiers().isEmpty()) {
            facts.add(Parts.fact("MRN", String.join(", ", p.identifiers())));
        }
        if (p.birthDate() != null) {
            facts.add(Parts.fact("Born", p.birthDate().toString()));
        }
        facts.add(Parts.fact("Enrolled", Ago.exact(p.enrolledAt(), zone)));
        facts.add(new Div(new Span("This period"), PatientsView.periodCell(row)));
        facts.add(new Div(new Span("EHR consent"), PatientsView.consentCell(row)));

        to = clock.instant();
        from = to.minus(RANGES.get(1));
        HorizontalLayout ranges = new HorizontalLayout();
        ranges.getElement().setAttribute("role", "group");
        ranges.getElement().setAttribute("aria-label", "Period");
        for (int i = 0; i < RANGES.size(); i++) {
            Duration d = RANGES.get(i);
            Button b = new Button(RANGE_LABELS.get(i), e -> setWindow(clock.instant().minus(d), clock.instant()));
            b.addThemeVariants(ButtonVariant.LUMO_SMALL);
            b.getElement().setAttribute("data-range", RANGE_LABELS.get(i));
            ranges.add(b);
        }
        Button zoomIn = new Button("Zoom in", e -> zoom(0.25, 0.75));
        Button zoomOut = new Button("Zoom out", e -> zoom(-0.5, 1.5));
        zoomIn.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        zoomOut.addThemeVariants(ButtonVariant.LUMO_SMALL, ButtonVariant.LUMO_TERTIARY);
        ranges.add(zoomIn, zoomOut, window);
        ranges.setAlignItems(HorizontalLayout.Alignment.BASELINE);
        chartArea.addClassName("vigil-charts");

        configureReadings();
        configureAlerts();
        configureEhr();
        TabSheet tabs = new TabSheet();
        tabs.add("Readings", readings);
        tabs.add("Alert history", alertHistory);
        tabs.add("Devices", devices(row));
        tabs.add("EHR sync", ehrItems);
        tabs.setWidthFull();

        add(new H2(p.displayName()), facts, new H3("Trends"), ranges, chartArea, tabs);
        // a patient's history reads newest first (the queue's order is by severity)
        alertList = alerts.page(tenant, new Alerts.Query(Alerts.Query.ANY_STATUS, null, patient, null, null, 500), 0, 500).stream()
                .sorted(java.util.Comparator.comparing(Alerts.AlertView::openedAt).reversed()).toList();
        alertHistory.setItems(alertList);
        ehrItems.setItems(ehr.list(tenant, null, null, null, patient, 200));
        redraw();
        // drag across a chart to zoom into that stretch of time
        chartArea.getElement().executeJs("""
                const area = this; let start = null;
                area.addEventListener('mousedown', e => { const svg = e.target.closest('svg'); if (!svg) return;
                  const r = svg.getBoundingClientRect(); start = {svg, r, x: e.clientX}; e.preventDefault(); });
                window.addEventListener('mouseup', e => { if (!start) return; const {r, x} = start; start = null;
                  const left = 52 / 900 * r.width, right = r.width - 16 / 900 * r.width;
                  const f = v => Math.min(1, Math.max(0, (v - r.left - left) / (right - left)));
                  const a = f(Math.min(x, e.clientX)), b = f(Math.max(x, e.clientX));
                  if (b - a > 0.01) area.$server.zoomTo(a, b); });""");
    }

    @ClientCallable
    void zoomTo(double a, double b) {
        zoom(a, b);
    }

    /** Shows the part of the current window between fractions a and b of it (outside 0..1 widens it). */
    void zoom(double a, double b) {
        long span = to.toEpochMilli() - from.toEpochMilli();
        Instant f = Instant.ofEpochMilli(from.toEpochMilli() + (long) (span * a));
        Instant t = Instant.ofEpochMilli(from.toEpochMilli() + (long) (span * b));
        Instant now = clock.instant();
        if (t.isAfter(now)) {
            f = f.minus(Duration.between(now, t));
            t = now;
        }
        if (Duration.between(f, t).compareTo(SMALLEST_WINDOW) < 0) {
            return;
        }
        if (Duration.between(f, t).compareTo(RANGES.get(RANGES.size() - 1).multipliedBy(2)) > 0) {
            f = t.minus(RANGES.get(RANGES.size() - 1).multipliedBy(2));
        }
        setWindow(f, t);
    }

    void setWindow(Instant f, Instant t) {
        from = f;
        to = t;
        redraw();
    }

    private void redraw() {
        window.setText(Ago.exact(from, zone) + " – " + Ago.exact(to, zone));
        chartArea.removeAll();
        try {
            List<PatientCharts.Chart> list = charts.charts(tenant, patient, from, to, alertList, zone);
            if (list.isEmpty()) {
                chartArea.add(new Paragraph("No readings yet."));
            }
            for (PatientCharts.Chart c : list) {
                Div box = new Div(new H3(c.title() + " · " + c.readings() + " readings"));
                box.addClassName("vigil-chart-box");
                Div svg = new Div();
                svg.getElement().setProperty("innerHTML", c.svg());
                svg.getElement().setAttribute("data-code", c.code());
                box.add(svg);
                chartArea.add(box);
            }
            readings.setItems(new ReadingPages(history, tenant, patient, from, to)::fetch);
        } catch (TelemetryUnavailableException e) {
            chartArea.add(new Paragraph("Reading history is unavailable right now. Alerts are not affected."));
            readings.setItems(List.of());
        }
    }

    private void configureReadings() {
        readings.addClassName("vigil-readings-grid");
        readings.addThemeVariants(GridVariant.LUMO_COMPACT, GridVariant.LUMO_ROW_STRIPES);
        readings.addColumn(r -> Ago.exact(r.effective(), zone)).setHeader("Measured").setAutoWidth(true);
        readings.addColumn(r -> Values.name(r.code())).setHeader("Vital").setAutoWidth(true);
        readings.addColumn(r -> Values.withUnit(r.value(), r.unit())).setHeader("Value").setAutoWidth(true);
        readings.addColumn(r -> r.originalUnit() != null && !r.originalUnit().equals(r.unit())
                ? Values.withUnit(r.originalValue(), r.originalUnit()) : "").setHeader("As sent").setAutoWidth(true);
        readings.addColumn(r -> String.join(", ", r.flags() == null ? List.of() : r.flags())).setHeader("Flags");
        readings.addColumn(StoredReading::sourceFormat).setHeader("Source").setAutoWidth(true);
        readings.setHeight("24rem");
    }

    private void configureAlerts() {
        alertHistory.addThemeVariants(GridVariant.LUMO_COMPACT);
        alertHistory.addComponentColumn(a -> Badges.severity(a.severity())).setHeader("Severity").setAutoWidth(true);
        alertHistory.addColumn(Alerts.AlertView::summary).setHeader("Alert").setFlexGrow(3);
        alertHistory.addColumn(TriageView::statusText).setHeader("Status").setAutoWidth(true);
        alertHistory.addColumn(a -> Ago.exact(a.openedAt(), zone)).setHeader("Opened").setAutoWidth(true);
        alertHistory.setItemDetailsRenderer(new ComponentRenderer<>(a -> trail(a.alertId())));
        alertHistory.setDetailsVisibleOnClick(true);
        alertHistory.setHeight("24rem");
    }

    private Component trail(UUID alert) {
        return Parts.trail(alerts.detail(tenant, alert).map(Alerts.Detail::transitions).orElse(List.of()), zone);
    }

    private void configureEhr() {
        ehrItems.addThemeVariants(GridVariant.LUMO_COMPACT);
        ehrItems.addColumn(EhrItems.Item::endpoint).setHeader("Endpoint").setAutoWidth(true);
        ehrItems.addColumn(EhrItems.Item::kind).setHeader("What").setAutoWidth(true);
        ehrItems.addComponentColumn(i -> Badges.state(i.status() + (i.reason() == null ? "" : " · " + i.reason()),
                "delivered".equals(i.status()) ? "ok" : "dead".equals(i.status()) ? "bad" : "warn")).setHeader("State").setAutoWidth(true);
        ehrItems.addColumn(i -> Ago.exact(i.createdAt(), zone)).setHeader("Created").setAutoWidth(true);
        ehrItems.addColumn(i -> i.deliveredAt() == null ? "" : Ago.exact(i.deliveredAt(), zone)).setHeader("Delivered").setAutoWidth(true);
        ehrItems.addColumn(i -> i.lastError() == null ? "" : i.lastError()).setHeader("Last error").setFlexGrow(2);
        ehrItems.setHeight("24rem");
    }

    private Component devices(PatientRoster.Row row) {
        Grid<PatientRoster.Device> g = new Grid<>();
        g.addThemeVariants(GridVariant.LUMO_COMPACT);
        g.addColumn(d -> d.view().kind()).setHeader("Kind").setAutoWidth(true);
        g.addColumn(d -> d.view().model()).setHeader("Model").setAutoWidth(true);
        g.addColumn(d -> d.view().serial() == null ? "" : d.view().serial()).setHeader("Serial").setAutoWidth(true);
        g.addColumn(d -> d.view().batteryPercent() == null ? "–" : Values.number(d.view().batteryPercent()) + " %").setHeader("Battery");
        g.addColumn(d -> d.view().signalDbm() == null ? "–" : d.view().signalDbm() + " dBm").setHeader("Signal");
        g.addComponentColumn(d -> Badges.state(d.view().lastSeen() == null ? "never seen"
                        : Ago.since(d.view().lastSeen(), clock.instant()) + " ago" + (d.silent() ? " · silent" : ""),
                d.silent() ? "bad" : d.lowBattery() ? "warn" : "ok")).setHeader("Last seen").setAutoWidth(true);
        g.setItems(row.devices());
        g.setAllRowsVisible(true);
        return g;
    }

}
