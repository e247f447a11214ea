package org.vigil.ui.views;

import com.vaadin.flow.component.ClickEvent;
import com.vaadin.flow.component.ComponentEventListener;
import com.vaadin.flow.component.Key;
import com.vaadin.flow.component.KeyModifier;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.grid.GridVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H2;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.notification.Notification;
import com.vaadin.flow.component.notification.NotificationVariant;
import com.vaadin.flow.component.orderedlayout.FlexComponent;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import com.vaadin.flow.data.provider.ConfigurableFilterDataProvider;
import com.vaadin.flow.data.renderer.LitRenderer;
import com.vaadin.flow.router.PageTitle;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import io.micronaut.context.annotation.Prototype;
import jakarta.annotation.security.RolesAllowed;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.AlertFeed;
import org.vigil.alerting.Alerts;
import org.vigil.core.TenantId;
import org.vigil.registry.PatientSummary;
import org.vigil.registry.Patients;
import org.vigil.ui.auth.Access;
import org.vigil.ui.auth.SignedInUser;
import org.vigil.ui.format.Ago;
import org.vigil.ui.format.Values;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The care team's work queue: unresolved alerts, most severe then oldest first, updated while it is open when any
 * alert of the tenant opens or changes anywhere. Everything can be done to one alert or to a selection.
 */
@Route(value = "", layout = MainLayout.class)
@RouteAlias(value = "triage", layout = MainLayout.class)
@PageTitle("Triage · Vigil")
@Prototype
@RolesAllowed({Access.CARE_MANAGER, Access.PHYSICIAN, Access.TENANT_ADMIN})
public class TriageView extends Div {
    static final int PAGE = 50;
    private static final List<String> SEVERITIES = List.of("critical", "warning", "info");
    private static final String ANY = "Any";
    private static final String ME = "Assigned to me";
    /** Select all takes at most this many: each is changed and audited on its own, and a click should end soon. */
    static final int SELECT_AT_MOST = 500;

    private final Alerts alerts;
    private final Clock clock;
    private final SignedInUser user;
    private final TenantId tenant;
    private final ZoneId zone;

    final Grid<Alerts.AlertView> grid = new Grid<>();
    final Select<String> severity = new Select<>();
    final ComboBox<String> program = new ComboBox<>("Program");
    final ComboBox<String> assignee = new ComboBox<>("Assignee");
    final ComboBox<PatientSummary> patient = new ComboBox<>("Patient");
    final Span selection = new Span();
    final Button selectAll = action("Select all", Key.KEY_L, e -> selectAll());
    final Button clear = action("Clear selection", Key.KEY_C, e -> clearSelection());
    private final HorizontalLayout counts = new HorizontalLayout();
    private final List<Button> bulk = new ArrayList<>();
    /** The alerts chosen for a bulk action, in the order they were chosen; kept while filters change. */
    private final Set<UUID> selected = new LinkedHashSet<>();
    private final ConfigurableFilterDataProvider<Alerts.AlertView, Void, Alerts.Query> data;
    private volatile boolean refreshQueued;
    /** The header's last counts (every severity, whatever the filter says) and the filters they were taken for. */
    private Counted counted;

    private record Counted(Alerts.Query query, Map<String, Integer> bySeverity) {
    }

    public TriageView(Alerts alerts, AlertFeed feed, AlertConfigs configs, Patients patients, Clock clock) {
        this.alerts = alerts;
        this.clock = clock;
        this.user = Access.current();
        this.tenant = user.tenantId();
        this.zone = configs.timeZone(tenant);
        addClassName("vigil-page");

        H2 title = new H2("Triage");
        counts.addClassName("vigil-counts");
        HorizontalLayout head = new HorizontalLayout(title, counts);
        head.setAlignItems(FlexComponent.Alignment.BASELINE);

        severity.setLabel("Severity");
        severity.setItems(List.of(ANY, "critical", "warning", "info"));
        severity.setValue(ANY);
        program.setItems(configs.programs(tenant));
        program.setClearButtonVisible(true);
        program.setPlaceholder(ANY);
        assignee.setItems(List.of(ME, "Unassigned"));
        assignee.setAllowCustomValue(true);
        assignee.addCustomValueSetListener(e -> assignee.setValue(e.getDetail()));
        assignee.setClearButtonVisible(true);
        assignee.setPlaceholder("Anyone");
        patient.setItemLabelGenerator(PatientSummary::displayName);
        patient.setItems(q -> patients.search(tenant, q.getFilter().orElse(null), q.getOffset(), q.getLimit()).stream());
        patient.setClearButtonVisible(true);
        patient.setPlaceholder("Any patient");
        HorizontalLayout filters = new HorizontalLayout(severity, program, assignee, patient);
        filters.addClassName("vigil-filters");
        filters.setAlignItems(FlexComponent.Alignment.BASELINE);

        bulk.add(action("Acknowledge", Key.KEY_A, e -> BulkActions.acknowledge(this, selectedIds())));
        bulk.add(action("Assign…", Key.KEY_G, e -> BulkActions.assign(this, selectedIds())));
        bulk.add(action("Snooze…", Key.KEY_S, e -> BulkActions.snooze(this, selectedIds())));
        bulk.add(action("Resolve…", Key.KEY_R, e -> BulkActions.resolve(this, selectedIds())));
        HorizontalLayout actions = new HorizontalLayout();
        actions.add(selection, selectAll, clear);
        bulk.forEach(actions::add);
        actions.setAlignItems(FlexComponent.Alignment.BASELINE);
        actions.addClassName("vigil-bulk");

        configureGrid();
        data = new CallbackDataProvider<Alerts.AlertView, Alerts.Query>(
                q -> alerts.page(tenant, q.getFilter().orElseThrow(), q.getOffset(), q.getLimit()).stream(),
                q -> count(q.getFilter().orElseThrow()),
                Alerts.AlertView::alertId).withConfigurableFilter();
        data.setFilter(query());
        grid.setItems(data);
        grid.setPageSize(PAGE);

        severity.addValueChangeListener(e -> refresh());
        program.addValueChangeListener(e -> refresh());
        assignee.addValueChangeListener(e -> refresh());
        patient.addValueChangeListener(e -> refresh());
        selectionChanged();
        add(head, filters, actions, grid);
        Parts.whileAttached(this, ui -> feed.subscribe(tenant, signal -> changed(ui)));
        refreshCounts();
    }

    /** Every action also has an Alt+letter shortcut: triage is keyboard work. */
    private static Button action(String label, Key key, ComponentEventListener<ClickEvent<Button>> listener) {
        Button b = new Button(label, listener);
        b.addThemeVariants(ButtonVariant.LUMO_SMALL);
        b.addClickShortcut(key, KeyModifier.ALT);
        b.getElement().setAttribute("title", "Alt+" + key.getKeys().get(0).toUpperCase());
        return b;
    }

    /**
     * Fixed widths, and templates rather than components in cells, so that the first page shows soon: automatic
     * widths are measured by laying out every rendered row again once the page has arrived. The alert's text gets
     * the width that is left (with its program and age under it), so that a laptop screen shows two or three lines
     * of it per row rather than five.
     */
    private void configureGrid() {
        // The selection is the view's own, shown by a plain checkbox in a template: Vaadin's selection column puts a
        // checkbox component (a shadow root, four field mixins) in every rendered row, which cost a tenth of the time
        // until the queue showed. Space on the cell clicks the checkbox, as it did the component.
        grid.setSelectionMode(Grid.SelectionMode.NONE);
        grid.addThemeVariants(GridVariant.LUMO_ROW_STRIPES, GridVariant.LUMO_COMPACT);
        grid.addColumn(LitRenderer.<Alerts.AlertView>of("<input type=\"checkbox\" class=\"vigil-select\" aria-label=\"Select ${item.what}\" "
                                + ".checked=${item.selected} @click=${e => e.stopPropagation()} @change=${e => toggle(e.target.checked)}>")
                        .withProperty("selected", a -> selected.contains(a.alertId()))
                        .withProperty("what", a -> Badges.label(a.severity()) + " alert" + (a.patientName() == null ? "" : " of " + a.patientName()))
                        .withFunction("toggle", (a, args) -> select(a, args.getBoolean(0))))
                .setWidth("3rem").setFlexGrow(0);
        grid.addColumn(LitRenderer.<Alerts.AlertView>of("<span class=\"vigil-badge\" data-severity=\"${item.severity}\">"
                                + "<vaadin-icon icon=\"${item.icon}\" aria-hidden=\"true\"></vaadin-icon><span>${item.label}</span></span>")
                        .withProperty("severity", Alerts.AlertView::severity)
                        .withProperty("icon", a -> Badges.iconName(a.severity()))
                        .withProperty("label", a -> Badges.label(a.severity())))
                .setHeader("Severity").setWidth("7rem").setFlexGrow(0);
        grid.addColumn(a -> a.patientName() == null ? "" : a.patientName()).setHeader("Patient").setWidth("10rem").setFlexGrow(0);
        // what triage is read for: it wraps instead of ending in an ellipsis
        grid.addColumn(LitRenderer.<Alerts.AlertView>of("<span class=\"vigil-wrap\">${item.summary}</span>"
                                + "<span class=\"vigil-cell-sub\">${item.context}</span>")
                        .withProperty("summary", Alerts.AlertView::summary)
                        .withProperty("context", this::context))
                .setHeader("Alert").setWidth("14rem").setFlexGrow(1);
        grid.addColumn(a -> Values.withUnit(a.lastValue(), a.unit())).setHeader("Last value").setWidth("6.5rem").setFlexGrow(0);
        grid.addColumn(LitRenderer.<Alerts.AlertView>of("<span class=\"vigil-wrap\">${item.status}</span>")
                .withProperty("status", TriageView::statusText)).setHeader("Status").setWidth("9rem").setFlexGrow(0);
        grid.addColumn(a -> a.assignee() == null ? "—" : a.assignee()).setHeader("Assignee").setWidth("8rem").setFlexGrow(0);
        grid.setItemDetailsRenderer(new com.vaadin.flow.data.renderer.ComponentRenderer<>(a -> new AlertPanel(this, a.alertId())));
        grid.setDetailsVisibleOnClick(true);
        grid.setAllRowsVisible(false);
        grid.addClassName("vigil-triage-grid");
    }

    /** Under the alert's text: its program, and how long it has been open (the queue's second order). */
    private String context(Alerts.AlertView a) {
        String open = "open " + Ago.since(a.openedAt(), clock.instant());
        return a.program() == null ? open : a.program() + " · " + open;
    }

    static String statusText(Alerts.AlertView a) {
        String s = switch (a.status()) {
            case "open" -> "Open";
            case "acknowledged" -> "Acknowledged";
            case "resolved" -> "Resolved";
            default -> a.status();
        };
        if (a.snoozedUntil() != null && a.snoozedUntil().isAfter(Instant.now())) {
            s += " · snoozed";
        }
        if (a.late()) {
            s += " · late reading";
        }
        return s;
    }

    Alerts.Query query() {
        String sev = ANY.equals(severity.getValue()) ? null : severity.getValue();
        String who = assignee.getValue();
        String assigned = who == null ? null : ME.equals(who) ? user.username() : who;
        UUID p = patient.getValue() == null ? null : patient.getValue().patientId();
        return new Alerts.Query(null, sev, p, program.getValue(), assigned, PAGE);
    }

    /** Re-reads the queue and the counts (filters changed, an action was taken, or an alert changed somewhere). */
    void refresh() {
        data.setFilter(query());
        data.refreshAll();
        refreshCounts();
        selectionChanged();
    }

    /** The queue's size: from the header's counts when they were taken for the same filters, else read. */
    private int count(Alerts.Query q) {
        Counted c = counted;
        if (c == null || !c.query().equals(q)) {
            return alerts.count(tenant, q);
        }
        return q.severity() == null ? c.bySeverity().values().stream().mapToInt(Integer::intValue).sum()
                : c.bySeverity().getOrDefault(q.severity(), 0);
    }

    private void refreshCounts() {
        Alerts.Query q = query();
        Map<String, Integer> bySeverity = alerts.countsBySeverity(tenant, q);
        counted = new Counted(q, bySeverity);
        counts.removeAll();
        for (String s : SEVERITIES) {
            int n = bySeverity.getOrDefault(s, 0);
            Button chip = new Button(Badges.label(s) + " " + n, Badges.icon(s), e -> severity.setValue(s));
            chip.addThemeVariants(ButtonVariant.LUMO_TERTIARY, ButtonVariant.LUMO_SMALL);
            chip.addClassName("vigil-count");
            chip.getElement().setAttribute("data-severity", s);
            chip.getElement().setAttribute("aria-label", n + " unresolved " + s + " alerts; show only these");
            counts.add(chip);
        }
    }

    /** What a row's checkbox does. */
    public void select(Alerts.AlertView alert, boolean on) {
        if (on ? selected.add(alert.alertId()) : selected.remove(alert.alertId())) {
            data.refreshItem(alert);
            selectionChanged();
        }
    }

    /**
     * Every alert the filters show, in the queue's order, up to {@link #SELECT_AT_MOST}; those already selected stay
     * selected.
     */
    void selectAll() {
        Alerts.Query q = query();
        List<Alerts.AlertView> shown = alerts.page(tenant, q, 0, SELECT_AT_MOST);
        shown.forEach(a -> selected.add(a.alertId()));
        data.refreshAll();
        selectionChanged();
        int matching = count(q);
        if (matching > shown.size()) {
            told("Selected the first " + shown.size() + " of " + matching + " in the queue's order: act on them, then "
                    + "select the next ones.", true);
        }
    }

    void clearSelection() {
        if (!selected.isEmpty()) {
            selected.clear();
            data.refreshAll();
        }
        selectionChanged();
    }

    private void selectionChanged() {
        int n = selected.size();
        selection.setText(n == 0 ? "Select alerts to act on several at once" : n + " selected");
        bulk.forEach(b -> b.setEnabled(n > 0));
        clear.setEnabled(n > 0);
    }

    List<UUID> selectedIds() {
        return List.copyOf(selected);
    }

    Alerts alerts() {
        return alerts;
    }

    TenantId tenant() {
        return tenant;
    }

    SignedInUser user() {
        return user;
    }

    Clock clock() {
        return clock;
    }

    /** The clinic's time zone, which times are shown in. */
    ZoneId zone() {
        return zone;
    }

    void told(String message, boolean ok) {
        Notification n = Notification.show(message, 4000, Notification.Position.BOTTOM_START);
        n.addThemeVariants(ok ? NotificationVariant.LUMO_SUCCESS : NotificationVariant.LUMO_WARNING);
    }

    /** Changes come in bursts (a flood of readings): those that arrive before the UI is next free make one re-read. */
    private void changed(UI ui) {
        if (refreshQueued) {
            return;
        }
        refreshQueued = true;
        ui.access(() -> {
            refreshQueued = false;
            refresh();
        });
    }


}
