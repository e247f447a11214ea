package org.vigil.app;

import com.github.mvysny.kaributesting.v10.GridKt;
import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.grid.Grid;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.Alerts;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrEndpoints;
import org.vigil.telemetry.StoredReading;
import org.vigil.ui.auth.Access;
import org.vigil.ui.data.PatientRoster;
import org.vigil.ui.views.MainLayout;
import org.vigil.ui.views.TriageView;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

import static com.github.mvysny.kaributesting.v10.LocatorJ._click;
import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static com.github.mvysny.kaributesting.v10.LocatorJ._get;
import static com.github.mvysny.kaributesting.v10.LocatorJ._setValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dashboard's views on real data: alerts raised by readings published to NATS, patients and devices in
 * PostgreSQL, readings in ClickHouse. A second tenant's patient with an open alert must never show.
 */
@MicronautTest
class DashboardViewsIT extends KaribuSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);
    @Inject
    Alerts alerts;
    @Inject
    AlertConfigs configs;
    @Inject
    EhrEndpoints endpoints;

    private Registry registry;
    private Registry other;
    private Devices devices;
    private Devices otherDevices;
    private UUID anna;
    private UUID ben;
    private UUID calm;

    private static final String CONFIG = """
            programs:
              htn:
                thresholds:
                  - { code: 8480-6, low: 90, high: 160, criticalHigh: 180 }
                  - { code: 8462-4, high: 100, criticalHigh: 120 }
                suppression: { persistReadings: 1, hysteresisPercent: 3, resolveAfter: 24h, cooldown: 4h }
            defaultPrograms: [ htn ]
            timeZone: America/Chicago
            """;

    @BeforeAll
    void fleet() throws Exception {
        registry = Registry.newTenant("ui-views");
        other = Registry.newTenant("ui-views-other");
        anna = patient(registry, "Anna Alpha", "CUFF-A");
        ben = patient(registry, "Ben Beta", "CUFF-B");
        calm = patient(registry, "Cal Calm", "CUFF-C");
        // Cal enrolled three days ago: his current 30-day period holds his readings of the last two days
        registry.exec("UPDATE patients SET created_at = now() - interval '3 days' WHERE patient_id = ?", calm);
        UUID olga = patient(other, "Olga Other", "CUFF-O");
        configs.put(new TenantId(registry.tenant()), CONFIG, "test", null);
        configs.put(new TenantId(other.tenant()), CONFIG, "test", null);
        devices = new Devices(registry.tenant());
        otherDevices = new Devices(other.tenant());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        // two days of Cal's readings, in range, so his charts have a line
        for (int h = 48; h > 0; h -= 3) {
            devices.bloodPressure("CUFF-C", 120 + h % 7, 78 + h % 5, now.minus(Duration.ofHours(h)));
        }
        devices.bloodPressure("CUFF-A", 195, 96, now.minusSeconds(30));   // critical systolic
        devices.bloodPressure("CUFF-B", 165, 104, now.minusSeconds(20));  // warning systolic and diastolic
        otherDevices.bloodPressure("CUFF-O", 199, 125, now.minusSeconds(10));
        TenantId t = new TenantId(registry.tenant());
        Eventually.await(WAIT, () -> alerts.count(t, query(null, null)), n -> n == 3, "three open alerts");
        Eventually.await(WAIT, () -> alerts.count(new TenantId(other.tenant()), query(null, null)), n -> n == 2, "the other tenant's alerts");
        assertTrue(olga != null);
    }

    private static UUID patient(Registry r, String name, String cuff) throws Exception {
        UUID p = r.patient(name);
        r.assign(r.device("blood-pressure-cuff", cuff), p, Instant.now().minus(Duration.ofDays(3)), null);
        return p;
    }

    private static Alerts.Query query(String severity, UUID patient) {
        return new Alerts.Query(null, severity, patient, null, null, 100);
    }

    @AfterAll
    void close() throws Exception {
        devices.close();
        otherDevices.close();
        registry.close();
        other.close();
    }

    @SuppressWarnings("unchecked")
    private static Grid<Alerts.AlertView> triageGrid() {
        return _get(Grid.class, s -> s.withClasses("vigil-triage-grid"));
    }

    private static List<Alerts.AlertView> rows(Grid<Alerts.AlertView> grid) {
        return GridKt._fetch(grid, 0, GridKt._size(grid));
    }

    private void openTriage() {
        signIn(registry.tenant(), Access.CARE_MANAGER);
        UI.getCurrent().navigate("");
    }

    @Test
    void theQueueShowsTheTenantsOpenAlertsMostSevereFirstWithCounts() {
        openTriage();
        List<Alerts.AlertView> shown = rows(triageGrid());
        assertEquals(3, shown.size(), shown.toString());
        assertEquals("critical", shown.get(0).severity());
        assertEquals("Anna Alpha", shown.get(0).patientName());
        assertTrue(shown.stream().noneMatch(a -> "Olga Other".equals(a.patientName())), "another tenant's alert showed");
        assertEquals(List.of("Critical 1", "Warning 2", "Info 0"),
                _find(Button.class, s -> s.withClasses("vigil-count")).stream().map(Button::getText).toList());
        // a count is also a filter
        _click(_find(Button.class, s -> s.withClasses("vigil-count")).get(1));
        assertEquals(List.of("warning", "warning"), rows(triageGrid()).stream().map(Alerts.AlertView::severity).toList());
    }

    @Test
    void severalAlertsAreAcknowledgedAtOnceAndResolvingNeedsANote() throws Exception {
        UUID dora = patient(registry, "Dora Delta", "CUFF-D");
        devices.bloodPressure("CUFF-D", 185, 122, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        TenantId t = new TenantId(registry.tenant());
        Eventually.await(WAIT, () -> alerts.count(t, query(null, dora)), n -> n == 2, "Dora's two alerts");
        openTriage();
        Grid<Alerts.AlertView> grid = triageGrid();
        List<Alerts.AlertView> doras = rows(grid).stream().filter(a -> a.patientId().equals(dora)).toList();
        TriageView view = _get(TriageView.class);
        doras.forEach(a -> view.select(a, true));
        assertEquals("2 selected", _get(Span.class, s -> s.withText("2 selected")).getText());
        _click(_get(Button.class, s -> s.withText("Acknowledge")));
        List<Alerts.AlertView> after = alerts.page(t, query(null, dora), 0, 10);
        assertEquals(List.of("acknowledged", "acknowledged"), after.stream().map(Alerts.AlertView::status).toList());
        assertTrue(after.stream().allMatch(a -> ("care-manager@" + registry.tenant()).equals(a.acknowledgedBy())));

        rows(grid).stream().filter(a -> a.patientId().equals(dora)).forEach(a -> view.select(a, true));
        _click(_get(Button.class, s -> s.withText("Resolve…")));
        Button confirm = _get(Button.class, s -> s.withText("Confirm"));
        _click(confirm);
        assertTrue(_get(TextArea.class, s -> s.withLabel("Why is this resolved?")).isInvalid(), "a resolve without note passed");
        assertEquals(2, alerts.count(t, query(null, dora)), "resolved without a note");
        _setValue(_get(TextArea.class, s -> s.withLabel("Why is this resolved?")), "Called the patient: cuff put on over a sleeve.");
        _click(confirm);
        assertEquals(0, alerts.count(t, query(null, dora)));
        Alerts.Detail d = alerts.detail(t, after.get(0).alertId()).orElseThrow();
        assertTrue(d.transitions().stream().anyMatch(tr -> tr.reason() != null && tr.reason().contains("over a sleeve")), d.toString());
        assertTrue(rows(grid).stream().noneMatch(a -> a.patientId().equals(dora)), "resolved alerts stay in the queue");
    }

    @Test
    void selectAllTakesWhatTheFiltersShowAndClearingEmptiesIt() {
        openTriage();
        _click(_find(Button.class, s -> s.withClasses("vigil-count")).get(1));
        int warnings = rows(triageGrid()).size();
        assertTrue(warnings >= 2, "Ben's two warnings");
        Button clear = _get(Button.class, s -> s.withText("Clear selection"));
        assertFalse(clear.isEnabled(), "nothing to clear yet");
        _click(_get(Button.class, s -> s.withText("Select all")));
        assertEquals(warnings + " selected", _get(Span.class, s -> s.withText(warnings + " selected")).getText());
        assertTrue(_get(Button.class, s -> s.withText("Acknowledge")).isEnabled());
        _click(clear);
        assertEquals("Select alerts to act on several at once",
                _get(Span.class, s -> s.withText("Select alerts to act on several at once")).getText());
        assertFalse(_get(Button.class, s -> s.withText("Acknowledge")).isEnabled());
    }

    @Test
    void anAlertOpenedElsewhereAppearsWithoutReload() throws Exception {
        UUID eve = patient(registry, "Eve Epsilon", "CUFF-E");
        openTriage();
        Grid<Alerts.AlertView> grid = triageGrid();
        int before = rows(grid).size();
        devices.bloodPressure("CUFF-E", 190, 90, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        List<Alerts.AlertView> now = Eventually.await(WAIT, () -> {
            MockVaadin.runUIQueue();
            return rows(grid);
        }, list -> list.stream().anyMatch(a -> a.patientId().equals(eve)), "Eve's alert in the open queue");
        assertTrue(now.size() > before);
        // and the other tenant's new alert never does
        otherDevices.bloodPressure("CUFF-O", 201, 90, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        Thread.sleep(1500);
        MockVaadin.runUIQueue();
        assertTrue(rows(grid).stream().noneMatch(a -> "Olga Other".equals(a.patientName())));
    }

    @Test
    void theAuditTrailShowsEachActionWithItsAuthor() {
        TenantId t = new TenantId(registry.tenant());
        Alerts.AlertView ben1 = alerts.page(t, query(null, ben), 0, 10).get(0);
        alerts.assign(t, ben1.alertId(), "carla", "phil");
        openTriage();
        Grid<Alerts.AlertView> grid = triageGrid();
        int row = rows(grid).indexOf(rows(grid).stream().filter(a -> a.alertId().equals(ben1.alertId())).findFirst().orElseThrow());
        GridKt._clickItem(grid, row, 1, false);
        Component details = GridKt._getItemDetailsComponent(grid, row);
        List<String> trail = _find(details, ListItem.class).stream().map(li -> li.getElement().getTextRecursively()).toList();
        assertTrue(trail.stream().anyMatch(s -> s.contains("carla") && s.contains("assign")), trail.toString());
        assertTrue(trail.stream().filter(s -> s.contains("carla")).allMatch(s -> s.contains(" CST ·") || s.contains(" CDT ·")),
                "times in the clinic's zone: " + trail);
    }

    @Test
    void patientsShowLatestVitalsWithOutOfRangeFlagsAndSearch() {
        signIn(registry.tenant(), Access.PHYSICIAN);
        UI.getCurrent().navigate("patients");
        @SuppressWarnings("unchecked")
        Grid<PatientRoster.Row> grid = _get(Grid.class, s -> s.withClasses("vigil-patients-grid"));
        List<PatientRoster.Row> rows = Eventually.await(WAIT, () -> {
            grid.getDataProvider().refreshAll();
            return GridKt._fetch(grid, 0, GridKt._size(grid));
        }, list -> list.stream().filter(r -> r.vitals() != null && !r.vitals().isEmpty()).count() >= 3, "vitals from ClickHouse");
        assertTrue(rows.stream().noneMatch(r -> r.patient().displayName().equals("Olga Other")));
        PatientRoster.Row a = rows.stream().filter(r -> r.patient().patientId().equals(anna)).findFirst().orElseThrow();
        assertTrue(a.anyOutOfRange(), a.toString());
        PatientRoster.Row c = rows.stream().filter(r -> r.patient().patientId().equals(calm)).findFirst().orElseThrow();
        assertFalse(c.anyOutOfRange(), c.toString());
        assertTrue(c.period() != null && c.period().daysWithReadings() >= 2, String.valueOf(c.period()));
        // Anna enrolled today: nothing before today counts towards her period
        assertEquals(1, a.period().daysWithReadings(), String.valueOf(a.period()));
        assertEquals(1, c.devices().size());

        String mrn = a.patient().identifiers().get(0);
        _setValue(_get(TextField.class, s -> s.withPlaceholder("Search by name or MRN")), mrn);
        assertEquals(List.of("Anna Alpha"), GridKt._fetch(grid, 0, 10).stream().map(r -> r.patient().displayName()).toList());
        _setValue(_get(TextField.class, s -> s.withPlaceholder("Search by name or MRN")), "Olga");
        assertEquals(0, GridKt._size(grid));
    }

    @Test
    void aPatientsChartsFollowTheChosenPeriodAndZoom() {
        signIn(registry.tenant(), Access.CARE_MANAGER);
        UI.getCurrent().navigate("patients/" + calm);
        Div charts = _get(Div.class, s -> s.withClasses("vigil-charts"));
        String svg = Eventually.await(WAIT, () -> {
            _click(_get(Button.class, s -> s.withText("7 d")));
            return charts.getChildren().findFirst().map(DashboardViewsIT::svgOf).orElse("");
        }, s -> s.contains("class=\"series s0\"") && s.contains("class=\"series s1\""), "systolic and diastolic lines");
        assertTrue(svg.contains("limit 160"), "the systolic limit is not drawn");
        Span window = _get(Span.class, s -> s.withPredicate(sp -> sp.getText().contains(" – ")));
        String week = window.getText();
        _click(_get(Button.class, s -> s.withText("Zoom in")));
        assertFalse(week.equals(window.getText()), "zooming did not change the period");
        _click(_get(Button.class, s -> s.withText("90 d")));
        assertTrue(charts.getChildren().findFirst().map(DashboardViewsIT::svgOf).orElse("").contains("series s0"));

        @SuppressWarnings("unchecked")
        Grid<StoredReading> table = _get(Grid.class, s -> s.withClasses("vigil-readings-grid"));
        List<Instant> shown = GridKt._fetch(table, 0, 10).stream().map(StoredReading::effective).toList();
        assertEquals(10, shown.size(), String.valueOf(shown));
        assertTrue(shown.get(0).isAfter(Instant.now().minus(Duration.ofHours(4))), "the newest reading comes first: " + shown);
        assertEquals(shown.stream().sorted(Comparator.reverseOrder()).toList(), shown, "newest first");
    }

    private static String svgOf(Component box) {
        return box.getChildren().map(c -> String.valueOf(c.getElement().getProperty("innerHTML"))).reduce("", String::concat);
    }

    @Test
    void anEhrEndpointDownShowsOnTheBoardAndInTheBanner() {
        TenantId t = new TenantId(registry.tenant());
        endpoints.put(t, "chart", """
                kind: mllp
                sandbox: true
                mllp:
                  host: 127.0.0.1
                  port: 9
                  receiving-application: EPIC
                  receiving-facility: GENHOSP
                  patient-identifier-system: urn:oid:2.16.840.1.113883.19.5
                  assigning-authority: GENHOSP
                """, "test", null);
        endpoints.recordHealth(t, "chart", "down", "connection refused");
        signIn(registry.tenant(), Access.CARE_MANAGER);
        UI.getCurrent().navigate("operations");
        List<String> tiles = _find(Div.class, s -> s.withClasses("vigil-tile")).stream()
                .map(d -> d.getElement().getAttribute("data-state") + " " + d.getElement().getTextRecursively()).toList();
        assertTrue(tiles.stream().anyMatch(s -> s.startsWith("down chart (mllp)")), tiles.toString());
        assertTrue(tiles.stream().anyMatch(s -> s.startsWith("up Message bus")), tiles.toString());
        MockVaadin.runUIQueue();
        List<String> banner = _get(MainLayout.class).bannerMessages();
        assertTrue(banner.stream().anyMatch(s -> s.contains("EHR sync paused (chart) — alerts still active")), banner.toString());

        // a platform administrator sees the shared components, and a tenant's board once they pick it
        signIn(null, Access.PLATFORM_ADMIN);
        UI.getCurrent().navigate("");   // a new board, not the care manager's left open
        UI.getCurrent().navigate("operations");
        assertTrue(tileTexts().stream().noneMatch(s -> s.contains("chart (mllp)")), "no tenant picked yet");
        @SuppressWarnings("unchecked")
        Select<TenantId> pick = _get(Select.class, s -> s.withLabel("Tenant"));
        _setValue(pick, t);
        assertTrue(tileTexts().stream().anyMatch(s -> s.startsWith("down chart (mllp)")), tileTexts().toString());
        assertTrue(tileTexts().stream().anyMatch(s -> s.contains("Platform alarms")), tileTexts().toString());
        _setValue(pick, new TenantId(other.tenant()));
        assertTrue(tileTexts().stream().noneMatch(s -> s.contains("chart (mllp)")), "another tenant's board: " + tileTexts());
        endpoints.recordHealth(t, "chart", "up", null);
    }

    private static List<String> tileTexts() {
        return _find(Div.class, s -> s.withClasses("vigil-tile")).stream()
                .map(d -> d.getElement().getAttribute("data-state") + " " + d.getElement().getTextRecursively()).toList();
    }
}
