package org.vigil.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Request;
import com.microsoft.playwright.options.Timing;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.options.WaitUntilState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A care manager's browser: Debian's Chromium, headless, driven by Playwright. It signs in once through the realm's
 * own login page, as a person would, and then times page loads in that signed-in session: from the start of the
 * navigation until an element that only the finished page has is shown.
 */
final class DashboardBrowser implements AutoCloseable {
    static final Path CHROMIUM = Path.of("/usr/lib/chromium/chromium");
    /** No sandbox (we run as root), and nothing in the background that would compete with the page for the CPU. */
    static final List<String> ARGS = List.of("--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync");
    private static final double TIMEOUT_MS = 30_000;

    private final Playwright playwright;
    private final Browser browser;
    private final BrowserContext context;
    private final Page page;

    private DashboardBrowser(Playwright playwright, Browser browser) {
        this.playwright = playwright;
        this.browser = browser;
        this.context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        this.context.setDefaultTimeout(TIMEOUT_MS);
        this.context.setDefaultNavigationTimeout(TIMEOUT_MS);
        this.page = context.newPage();
    }

    /** Before anything long runs: a missing browser should cost seconds, not the ten minutes of a whole run. */
    static void checkInstalled() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: the dashboard benchmark drives Debian's Chromium "
                    + "(apt-get install chromium; ops/stack installs it)");
        }
    }

    static DashboardBrowser launch() {
        checkInstalled();
        // Playwright's own browsers are not downloaded: the machines have no access to them, and Debian's is the one we test with
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                    .setHeadless(true).setArgs(ARGS).setTimeout(TIMEOUT_MS));
            return new DashboardBrowser(playwright, browser);
        } catch (PlaywrightException e) {
            playwright.close();
            throw new IllegalStateException("Chromium (" + CHROMIUM + ") did not start under Playwright: " + e.getMessage(), e);
        }
    }

    /**
     * Opens {@code url}, which sends a browser without a session to the realm's login page, fills it in and waits
     * for {@code signedIn} on the page it comes back to.
     */
    void signIn(String url, String username, String password, String signedIn) {
        page.navigate(url);
        try {
            page.locator("#username").waitFor();
        } catch (PlaywrightException e) {
            throw new IllegalStateException("no Keycloak login form after opening " + url + " (now at " + page.url() + "): "
                    + e.getMessage(), e);
        }
        page.locator("#username").fill(username);
        page.locator("#password").fill(password);
        page.locator("#kc-login").click();
        try {
            shown(signedIn);
        } catch (PlaywrightException e) {
            throw new IllegalStateException("signed in as " + username + " but " + signedIn + " never showed (now at " + page.url()
                    + "): " + e.getMessage(), e);
        }
    }

    /**
     * One page load.
     *
     * @param nanos          from the start of the navigation until the awaited element is visible
     * @param vaadinRequests Vaadin's own requests in that time (the UI's init and each UIDL round trip); its push
     *                       connection's long polls are not among them
     * @param vaadinMillis   their time from start to the last byte of the response: the server and the network; the
     *                       rest of the load is the browser's (scripts, layout, rendering) and the page's resources
     */
    record Load(long nanos, int vaadinRequests, double vaadinMillis) {
    }

    /**
     * Loads {@code url} and waits until {@code selector} is visible. Each load starts from a blank page, so nothing
     * of the previous one can match the selector.
     */
    Load load(String url, String selector) {
        page.navigate("about:blank");
        List<Request> vaadin = new ArrayList<>();
        Consumer<Request> finished = r -> {
            if (r.url().contains("v-r=uidl") || r.url().contains("v-r=init")) {
                vaadin.add(r);
            }
        };
        page.onRequestFinished(finished);
        try {
            long t0 = System.nanoTime();
            page.navigate(url, new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
            shown(selector);
            long nanos = System.nanoTime() - t0;
            double millis = 0;
            for (Request r : vaadin) {
                Timing t = r.timing();
                millis += Math.max(0, t.responseEnd);
            }
            return new Load(nanos, vaadin.size(), millis);
        } finally {
            page.offRequestFinished(finished);
        }
    }

    private void shown(String selector) {
        page.locator(selector).first().waitFor(new Locator.WaitForOptions().setState(WaitForSelectorState.VISIBLE));
    }

    String version() {
        return browser.version();
    }

    @Override
    public void close() {
        try {
            context.close();
            browser.close();
        } finally {
            playwright.close();
        }
    }
}
