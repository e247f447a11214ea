package org.vigil.bench;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.options.WaitUntilState;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A care manager's browser: Debian's Chromium, headless, driven by Playwright. It signs in once through the realm's
 * own login page, as a person would, and then times page loads in that signed-in session: from the start of the
 * navigation until the page has painted an element that only the finished page has.
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

    private DashboardBrowser(Playwright playwright, Browser browser, List<Sight> sights) {
        this.playwright = playwright;
        this.browser = browser;
        this.context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        this.context.setDefaultTimeout(TIMEOUT_MS);
        this.context.setDefaultNavigationTimeout(TIMEOUT_MS);
        this.context.addInitScript(watch(sights));
        this.page = context.newPage();
    }

    /** Before anything long runs: a missing browser should cost seconds, not the ten minutes of a whole run. */
    static void checkInstalled() {
        if (!Files.isExecutable(CHROMIUM)) {
            throw new IllegalStateException(CHROMIUM + " is missing: the dashboard benchmark drives Debian's Chromium "
                    + "(apt-get install chromium; ops/stack installs it)");
        }
    }

    /** @param sights what its loads will wait for: the page watches for them from its start */
    static DashboardBrowser launch(List<Sight> sights) {
        checkInstalled();
        // Playwright's own browsers are not downloaded: the machines have no access to them, and Debian's is the one we test with
        Playwright playwright = Playwright.create(new Playwright.CreateOptions().setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
        try {
            Browser browser = playwright.chromium().launch(new BrowserType.LaunchOptions().setExecutablePath(CHROMIUM)
                    .setHeadless(true).setArgs(ARGS).setTimeout(TIMEOUT_MS));
            return new DashboardBrowser(playwright, browser, sights);
        } catch (PlaywrightException e) {
            playwright.close();
            throw new IllegalStateException("Chromium (" + CHROMIUM + ") did not start under Playwright: " + e.getMessage(), e);
        }
    }

    /**
     * Opens {@code url}, which sends a browser without a session to the realm's login page, fills it in and waits
     * until the page it comes back to shows {@code signedIn}.
     */
    void signIn(String url, String username, String password, Sight signedIn) {
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
            page.waitForFunction(SHOWN, signedIn.key());
        } catch (PlaywrightException e) {
            throw new IllegalStateException("signed in as " + username + " but " + signedIn + " never showed (now at " + page.url()
                    + "): " + e.getMessage(), e);
        }
    }

    /**
     * What only the finished page has: an element matching {@code css} whose text contains {@code text}, visible.
     *
     * @param key names it in the page's record of what it has shown
     */
    record Sight(String key, String css, String text) {
    }

    /**
     * One page load, as the page itself measured it.
     *
     * @param vaadinRequests Vaadin's own requests answered before the sight showed (the UI's init and each UIDL round
     *                       trip); its push connection's long polls are not among them
     * @param vaadinMillis   their time from start to the last byte of the response: the server and the network; the
     *                       rest of the load is the browser's (scripts, layout, rendering) and the page's resources
     */
    record Load(int vaadinRequests, double vaadinMillis, Timeline timeline) {
        double shownMillis() {
            return timeline.shown();
        }
    }

    /**
     * When each step of a load ended, in ms from the start of the navigation as the page measured it (Navigation,
     * Resource and Long Tasks Timing), until the sight showed.
     *
     * @param html      the document's last byte
     * @param scripts   the last of the page's scripts (the client engine and the components' chunks) arrived
     * @param init      Vaadin's init request answered
     * @param lastUidl  the last UIDL round trip answered (0 if none)
     * @param shown     the first frame with the sight visible was painted
     * @param longTasks main-thread time in tasks over 50 ms
     */
    record Timeline(double html, double scripts, double init, double lastUidl, double shown, double longTasks) {
    }

    /**
     * Runs in every page from its first script on. It looks for each sight at every animation frame and, once one is
     * visible, records the time of the task that runs after that frame was painted. Measured in the page: Playwright's
     * own waits poll at growing intervals (up to 500 ms), which would add their own lateness to every figure.
     */
    private static String watch(List<Sight> sights) {
        return """
                (() => {
                  window.__vigilLongTasks = [];
                  try {
                    new PerformanceObserver(l => window.__vigilLongTasks.push(...l.getEntries())).observe({type: 'longtask', buffered: true});
                  } catch (e) {}
                  const sights = %s;
                  const seen = new Set();
                  const shown = window.__vigilShown = {};
                  const visible = s => [...document.querySelectorAll(s.css)].some(e => e.textContent.includes(s.text)
                      && e.getClientRects().length > 0 && e.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}));
                  const frame = () => {
                    for (const s of sights) {
                      if (!seen.has(s.key) && visible(s)) {
                        seen.add(s.key);
                        setTimeout(() => shown[s.key] = performance.now());
                      }
                    }
                    if (seen.size < sights.length && performance.now() < 60000) {
                      requestAnimationFrame(frame);
                    }
                  };
                  requestAnimationFrame(frame);
                })();""".formatted(sights.stream().map(s -> "{key: %s, css: %s, text: %s}".formatted(js(s.key()), js(s.css()), js(s.text())))
                .collect(Collectors.joining(", ", "[", "]")));
    }

    /** A JavaScript string literal (the sights are our own constants; quotes and backslashes are all they could hold). */
    private static String js(String s) {
        return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** True once the page has recorded the sight named by its argument as shown. */
    private static final String SHOWN = "key => window.__vigilShown && key in window.__vigilShown";

    private static final String TIMELINE = """
            key => {
              const shown = window.__vigilShown[key];
              const res = performance.getEntriesByType('resource').filter(r => r.startTime < shown);
              const end = f => Math.max(0, ...res.filter(f).map(r => r.responseEnd).filter(t => t <= shown));
              const nav = performance.getEntriesByType('navigation')[0];
              const tasks = window.__vigilLongTasks.filter(t => t.startTime < shown);
              const vaadin = res.filter(r => (r.name.includes('v-r=init') || r.name.includes('v-r=uidl')) && r.responseEnd <= shown);
              return [nav ? nav.responseEnd : 0,
                      end(r => r.initiatorType === 'script' || r.name.includes('.js')),
                      end(r => r.name.includes('v-r=init')),
                      end(r => r.name.includes('v-r=uidl')),
                      shown,
                      tasks.reduce((s, t) => s + t.duration, 0),
                      vaadin.length,
                      vaadin.reduce((s, r) => s + r.responseEnd - r.startTime, 0)];
            }""";

    /**
     * Loads {@code url} and waits until the page has painted {@code sight}. Each load starts from a blank page, so
     * nothing of the previous one counts.
     */
    Load load(String url, Sight sight) {
        page.navigate("about:blank");
        page.navigate(url, new Page.NavigateOptions().setWaitUntil(WaitUntilState.COMMIT));
        page.waitForFunction(SHOWN, sight.key());
        @SuppressWarnings("unchecked")
        List<Number> t = (List<Number>) page.evaluate(TIMELINE, sight.key());
        return new Load(t.get(6).intValue(), t.get(7).doubleValue(), new Timeline(t.get(0).doubleValue(), t.get(1).doubleValue(),
                t.get(2).doubleValue(), t.get(3).doubleValue(), t.get(4).doubleValue(), t.get(5).doubleValue()));
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
