package org.vigil.app;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.vigil.alerting.Alerts;
import org.vigil.core.TenantId;
import org.vigil.simulator.KeycloakRealm;
import org.vigil.simulator.KeycloakUsers;
import org.vigil.telemetry.ReadingHistory;
import org.vigil.telemetry.Series;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The care-team dashboard end to end, in a real browser (Debian's Chromium, headless, driven by Playwright) against
 * the in-process backend with its dashboard on, the stack's Keycloak for sign-in and NATS for readings: sign-in on
 * Keycloak's own login page, an alert pushed into the open triage queue, acknowledged there and found in its audit
 * trail, another tenant's patients never shown, role guards, sign-out. Every view is saved as a screenshot in
 * {@code target/screenshots/} (and the page at the moment of a failure, as {@code FAILED-<test>.png}).
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardE2EIT extends BackendTestSupport {
    /** Anything that crosses processes (Keycloak, NATS → evaluator → push, ClickHouse): generous for a slow CI box. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final double WAIT_MS = WAIT.toMillis();
    private static final Path SHOTS = Paths.get("target", "screenshots");
    private static final String UI = StackEnv.get("VIGIL_UI_URL", "http://127.0.0.1:18081");
    private static final String A_NAME = "Amelia Ashworth";
    private static final String A_OTHER = "Cora Castellane";
    private static final String B_NAME = "Bruno Bexley";
    private static final int BP_READINGS = 40;
    private static final int WEIGHTS = 14;

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    Alerts alerts;
    @Inject
    ReadingHistory history;

    private Registry a;
    private Registry b;
    private TenantId tenantA;
    private TenantId tenantB;
    private UUID amelia;
    private UUID cora;
    private UUID bruno;
    private Devices devicesA;
    private Playwright playwright;
    private Browser browser;
    private BrowserContext context;
    private Page page;

    /** Saves what the browser showed when a test failed, before the context is closed. */
    @RegisterExtension
    final AfterTestExecutionCallback screenshotOnFailure = ctx -> {
        if (ctx.getExecutionException().isPresent() && page != null && !page.isClosed()) {
            try {
                shot("FAILED-" + ctx.getRequiredTestMethod().getName());
            } catch (RuntimeException e) {
                // the test's own failure is what to report, not that its screenshot could not be taken
                ctx.getExecutionException().get().addSuppressed(e);
            }
        }
    };

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        p.put("vigil.ui.enabled", "true");
        p.put("vigil.ui.port", StackEnv.get("VIGIL_UI_PORT", "18081"));
        p.put("vigil.ui.public-url", UI);
        p.put("vigil.ui.issuer", StackEnv.get("VIGIL_OIDC_ISSUER", users.issuer()));
        return p;
    }

    @BeforeAll
    void seed() throws Exception {
        Files.createDirectories(SHOTS);
        a = Registry.newTenant("e2e-a");
        b = Registry.newTenant("e2e-b");
        tenantA = new TenantId(a.tenant());
        tenantB = new TenantId(b.tenant());
        configureAlerts(a.tenant());
        configureAlerts(b.tenant());

        amelia = a.patient(A_NAME);
        a.assign(a.device("blood-pressure-cuff", "E2E-CUFF-A"), amelia, null, null);
        a.assign(a.device("scale", "E2E-SCALE-A"), amelia, null, null);
        cora = a.patient(A_OTHER);
        a.assign(a.device("blood-pressure-cuff", "E2E-CUFF-C"), cora, null, null);
        bruno = b.patient(B_NAME);
        b.assign(b.device("blood-pressure-cuff", "E2E-CUFF-B"), bruno, null, null);

        // A's patient gets a week of in-range history, so the patient page has trends to draw (and nothing alerts yet).
        devicesA = new Devices(a.tenant());
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        for (int i = 0; i < BP_READINGS; i++) {
            Instant at = now.minus(Duration.ofHours(4L * (BP_READINGS - i)));
            devicesA.bloodPressure("E2E-CUFF-A", 132 + (int) Math.round(14 * Math.sin(i / 3.0)),
                    84 + (int) Math.round(7 * Math.sin(i / 3.0 + 1)), at);
        }
        for (int i = 0; i < WEIGHTS; i++) {
            devicesA.weight("E2E-SCALE-A", 81.0 + 0.1 * i + (i % 3 == 0 ? 0.4 : 0), now.minus(Duration.ofHours(12L * (WEIGHTS - i) - 6)));
        }
        // The queue is never empty when a test opens it: another patient of A has had a warning for two hours.
        devicesA.bloodPressure("E2E-CUFF-C", 166, 88, now.minus(Duration.ofHours(2)));
        // B's patient has an open alert of its own, which A's users must never see.
        try (Devices devicesB = new Devices(b.tenant())) {
            devicesB.bloodPressure("E2E-CUFF-B", 196, 92, now);
        }
        Eventually.await(WAIT, () -> alerts.count(tenantA, new Alerts.Query(null, null, cora, null, null, 10)), n -> n == 1,
                "the warning of A's other patient");
        Eventually.await(WAIT, () -> alerts.count(tenantB, new Alerts.Query(null, null, bruno, null, null, 10)), n -> n == 1,
                "tenant B's alert");
        Eventually.await(WAIT, () -> stored("8480-6") + stored("29463-7"), n -> n == BP_READINGS + WEIGHTS,
                "A's history stored in ClickHouse");

        PlaywrightAssertions.setDefaultAssertionTimeout(WAIT_MS);
        playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        browser = playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/lib/chromium/chromium"))
                .setHeadless(true)
                .setArgs(List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
    }

    private void configureAlerts(String tenant) {
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", """
                programs:
                  htn:
                    thresholds:
                      - { code: 8480-6, low: 90, high: 160, criticalHigh: 180 }
                      - { code: 8462-4, high: 100, criticalHigh: 120 }
                    suppression: { persistReadings: 1, hysteresisPercent: 3, resolveAfter: 1h, cooldown: 4h }
                defaultPrograms: [ htn ]
                """).contentType("application/yaml").bearerAuth(token(tenant)));
    }

    private int stored(String code) {
        Instant now = Instant.now();
        return history.series(tenantA, amelia, code, now.minus(Duration.ofDays(8)), now.plusSeconds(60), Duration.ofDays(1))
                .stream().map(Series::points).flatMap(List::stream).mapToInt(p -> p.count()).sum();
    }

    @AfterAll
    void close() throws Exception {
        if (browser != null) {
            browser.close();
        }
        if (playwright != null) {
            playwright.close();
        }
        devicesA.close();
        a.close();
        b.close();
    }

    /** Each test is a browser of its own: no cookies, no Keycloak session, no Vaadin session carried over. */
    @BeforeEach
    void newBrowserContext() {
        context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1440, 900));
        context.setDefaultTimeout(WAIT_MS);
        context.setDefaultNavigationTimeout(WAIT_MS);
        page = context.newPage();
    }

    @AfterEach
    void closeBrowserContext() {
        context.close();
        page = null;
    }

    @Test
    @Order(1)
    void aNewAlertAppearsInTheOpenQueueIsAcknowledgedThereAndIsInItsAuditTrail() throws Exception {
        String user = signIn(a.tenant(), "care-manager", "/");
        assertThat(page.locator("h2", new Page.LocatorOptions().setHasText("Triage"))).isVisible();
        assertThat(page.locator(".vigil-tenant")).hasText(a.tenant());
        assertThat(cell(A_OTHER)).isVisible();
        assertThat(cell(A_NAME)).hasCount(0);
        // a reload would lose this: the row must arrive through push into the page as it is
        page.evaluate("window.vigilE2eNoReload = true");

        devicesA.bloodPressure("E2E-CUFF-A", 192, 96, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        assertThat(cell(A_NAME)).isVisible();
        assertThat(page.locator("vaadin-grid-cell-content").filter(new Locator.FilterOptions()
                .setHasText("above the critical limit 180"))).isVisible();
        assertEquals(true, page.evaluate("window.vigilE2eNoReload === true"), "the page was not reloaded");
        assertThat(page.locator(".vigil-count[data-severity='critical']")).hasText(Pattern.compile("Critical\\s*1"));
        assertThat(page.locator(".vigil-count[data-severity='warning']")).hasText(Pattern.compile("Warning\\s*1"));
        shot("01-triage-new-alert");

        UUID alert = alerts.list(tenantA, new Alerts.Query(null, null, amelia, null, null, 10)).get(0).alertId();
        // by keyboard, as care managers work: Space on the row's checkbox cell (the grid clicks the cell's checkbox)
        rowCheckbox(A_NAME).evaluate("box => box.parentElement.assignedSlot.parentElement.focus()");
        page.keyboard().press("Space");
        assertThat(page.getByText("1 selected")).isVisible();
        assertThat(rowCheckbox(A_NAME)).isChecked();
        Locator acknowledge = page.locator(".vigil-bulk vaadin-button").filter(new Locator.FilterOptions().setHasText("Acknowledge"));
        assertThat(acknowledge).isEnabled();
        acknowledge.click();
        assertThat(cell("Acknowledged")).isVisible();
        assertThat(page.locator("vaadin-notification-card").filter(new Locator.FilterOptions()
                .setHasText("1 alert acknowledged"))).isVisible();

        cell(A_NAME).click();
        Locator trail = page.locator("ol.vigil-trail");
        assertThat(trail).isVisible();
        assertThat(trail).containsText(user + " · acknowledged (open → acknowledged)");
        assertThat(page.locator(".vigil-alert-panel vaadin-button").filter(new Locator.FilterOptions()
                .setHasText("Acknowledge"))).isDisabled();
        // notifications fade; the screenshot is of the row and its trail
        page.locator("vaadin-notification-card").first().waitFor(new Locator.WaitForOptions()
                .setState(WaitForSelectorState.HIDDEN).setTimeout(WAIT_MS));
        shot("02-triage-audit-trail");

        Alerts.Detail d = alerts.detail(tenantA, alert).orElseThrow();
        assertEquals("acknowledged", d.alert().status());
        Alerts.Transition ack = d.transitions().stream().filter(t -> t.action().equals("acknowledged")).findFirst().orElseThrow(
                () -> new AssertionError("no acknowledgement in " + d.transitions()));
        assertEquals(user, ack.actor());
        assertEquals("open", ack.fromStatus());
    }

    @Test
    @Order(2)
    void anotherTenantsPatientsNeverAppear() {
        signIn(a.tenant(), "care-manager", "/");
        assertThat(page.locator("h2", new Page.LocatorOptions().setHasText("Triage"))).isVisible();
        // the queue has loaded (A's warning is in it) before it is searched for what must not be there
        assertThat(cell(A_OTHER)).isVisible();
        assertThat(page.getByText(B_NAME)).hasCount(0);

        page.navigate(UI + "/patients");
        assertThat(patientLink(A_NAME)).isVisible();
        assertThat(page.getByText(B_NAME)).hasCount(0);
        shot("03-patients");

        Locator search = page.locator("vaadin-text-field input");
        search.fill(B_NAME);
        // the search applies when typing pauses: A's patient leaving the grid says it has
        assertThat(patientLink(A_NAME)).hasCount(0);
        assertThat(patientLink(A_OTHER)).hasCount(0);
        assertThat(page.getByText(B_NAME)).hasCount(0);
        search.fill("Ashw");
        assertThat(patientLink(A_NAME)).isVisible();
        assertThat(patientLink(A_OTHER)).hasCount(0);

        page.navigate(UI + "/patients/" + bruno);
        assertThat(page.locator("h2", new Page.LocatorOptions().setHasText("Patient not found"))).isVisible();
        assertThat(page.getByText(B_NAME)).hasCount(0);
        shot("04-patient-of-another-tenant");
    }

    @Test
    @Order(3)
    void thePatientPageChartsTheWeekAndTheOperationsBoardShowsHealth() {
        signIn(a.tenant(), "care-manager", "/patients");
        patientLink(A_NAME).click();
        page.waitForURL(UI + "/patients/" + amelia);
        assertThat(page.locator("h2", new Page.LocatorOptions().setHasText(A_NAME))).isVisible();
        Locator charts = page.locator(".vigil-chart-box");
        assertThat(charts).hasCount(2);
        assertThat(charts.locator("h3").filter(new Locator.FilterOptions().setHasText("Blood pressure"))).hasCount(1);
        assertThat(charts.locator("h3").filter(new Locator.FilterOptions().setHasText("Weight"))).hasText("Weight · " + WEIGHTS + " readings");
        // the week's readings are drawn (daily weights as points: a gap of more than two buckets breaks a line)
        assertThat(page.locator(".vigil-chart .series path.mean")).not().hasCount(0);
        assertThat(page.locator(".vigil-chart .empty")).hasCount(0);
        tallShot("05-patient-detail");

        page.locator("vaadin-side-nav-item").filter(new Locator.FilterOptions().setHasText("Operations")).click();
        page.waitForURL(UI + "/operations");
        assertThat(page.locator(".vigil-tile").first()).isVisible();
        assertThat(page.locator(".vigil-tile").filter(new Locator.FilterOptions().setHasText("Message bus (NATS)"))
                .locator(".vigil-badge")).hasText("up");
        tallShot("06-operations");
    }

    @Test
    @Order(4)
    void rolesDecideWhatOpens() {
        signIn(a.tenant(), "physician", "/patients");
        assertThat(page.locator("h2", new Page.LocatorOptions().setHasText("Patients"))).isVisible();
        assertThat(patientLink(A_NAME)).isVisible();
        page.navigate(UI + "/");
        assertThat(page.locator("h2", new Page.LocatorOptions().setHasText("Triage"))).isVisible();
        context.close();

        newBrowserContext();
        signIn(null, "platform-admin", "/patients");
        assertThat(page.locator("h1", new Page.LocatorOptions().setHasText("Not available to your role"))).isVisible();
        assertThat(page.locator("vaadin-grid")).hasCount(0);
        // the menu offers only what the role opens
        assertThat(page.locator("vaadin-side-nav-item")).hasCount(1);
        assertThat(page.locator("vaadin-side-nav-item")).hasAttribute("path", "operations");
        shot("07-access-denied");
    }

    @Test
    @Order(5)
    void signingOutEndsTheDashboardAndKeycloakSessions() {
        signIn(a.tenant(), "care-manager", "/");
        assertThat(page.locator("h2", new Page.LocatorOptions().setHasText("Triage"))).isVisible();
        page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Sign out")).click();
        page.waitForURL(UI + "/signed-out");
        assertThat(page.locator("h1")).hasText("Your session has ended");
        shot("08-signed-out");

        page.navigate(UI + "/");
        // Keycloak's session ended too: it asks for the password again instead of sending the browser straight back
        page.waitForURL(url -> url.startsWith(users.issuer() + "/"));
        assertThat(page.locator("#username")).isVisible();
        assertThat(page.locator("#kc-login")).isVisible();
        shot("09-login-again");
    }

    /**
     * Signs in on Keycloak's own login page as {@code <role>@<tenant>} (made first if needed) and waits to be back on
     * {@code path} of the dashboard. Returns the user name, as audit trails record it.
     */
    private String signIn(String tenant, String role, String path) {
        users.token(tenant, role);
        String username = KeycloakUsers.username(tenant, role);
        page.navigate(UI + path);
        page.waitForURL(url -> url.startsWith(users.issuer() + "/"));
        page.locator("#username").fill(username);
        page.locator("#password").fill(KeycloakRealm.DEV_PASSWORD);
        page.locator("#kc-login").click();
        page.waitForURL(UI + path);
        assertThat(page.locator(".vigil-user")).isVisible();
        return username;
    }

    /** A grid cell (rendered in the light DOM) whose whole text is {@code text}. */
    private Locator cell(String text) {
        return page.locator("vaadin-grid-cell-content").filter(new Locator.FilterOptions()
                .setHasText(Pattern.compile("^\\s*" + text.replaceAll("[^\\w ]", "\\\\$0") + "\\s*$")));
    }

    /**
     * The link to a patient in the patients grid (the cell also holds the MRN). Only shown rows count: the grid keeps
     * the cells of rows a search removed, hidden, for reuse.
     */
    private Locator patientLink(String name) {
        return page.locator("vaadin-grid-cell-content a").filter(new Locator.FilterOptions().setHasText(name).setVisible(true));
    }

    /**
     * The selection checkbox of the row showing {@code text}. Cells are light-DOM elements slotted into the grid's
     * shadow rows; the row is found through the cell's slot, then the cell holding the checkbox.
     */
    private Locator rowCheckbox(String text) {
        Object found = page.evaluate("""
                text => {
                  const cell = [...document.querySelectorAll('vaadin-grid-cell-content')].find(c => c.textContent.trim() === text);
                  const row = cell && cell.assignedSlot && cell.assignedSlot.closest('tr');
                  const box = row && [...row.querySelectorAll('td slot')].map(s => s.assignedElements()[0])
                      .map(c => c && c.querySelector('input.vigil-select')).find(b => b);
                  if (!box) return false;
                  document.querySelectorAll('[data-e2e-row-checkbox]').forEach(e => e.removeAttribute('data-e2e-row-checkbox'));
                  box.setAttribute('data-e2e-row-checkbox', '');
                  return true;
                }""", text);
        assertEquals(true, found, "a row checkbox next to '" + text + "'");
        return page.locator("[data-e2e-row-checkbox]");
    }

    private void shot(String name) {
        try {
            // The view is shot once its round trips are over: quiet for a moment, not just now (a resize or a pushed
            // change starts the next round trip a little later).
            page.evaluate("window.vigilE2eQuietSince = performance.now()");
            page.waitForFunction("""
                    () => { const s = window.Vaadin && window.Vaadin.connectionState; const now = performance.now();
                            if (s && s.state === 'loading') window.vigilE2eQuietSince = now;
                            return now - window.vigilE2eQuietSince >= 300; }""", null, new Page.WaitForFunctionOptions().setTimeout(5_000));
        } catch (PlaywrightException e) {
            // a view still busy after 5 s (or mid-navigation) is worth its screenshot all the same
        }
        // Vaadin's progress bar is not part of the view; it takes most of a second to fade after a round trip
        page.screenshot(new Page.ScreenshotOptions().setPath(SHOTS.resolve(name + ".png")).setFullPage(true)
                .setStyle(".v-loading-indicator { visibility: hidden !important; }"));
    }

    /**
     * A screenshot of the whole view. The dashboard's frame scrolls its content area, not the document, so a
     * full-page screenshot is only the viewport: the viewport is made as tall as the content for the shot.
     * Not for views sized to the viewport (the triage and patient grids), which would grow with it.
     */
    private void tallShot(String name) {
        Object height = page.evaluate("""
                () => { const c = document.querySelector('vaadin-app-layout').shadowRoot.querySelector('[content]');
                        return Math.ceil(c.getBoundingClientRect().top + c.scrollHeight); }""");
        page.setViewportSize(1440, Math.max(900, ((Number) height).intValue()));
        try {
            shot(name);
        } finally {
            page.setViewportSize(1440, 900);
        }
    }
}
