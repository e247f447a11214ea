package org.vigil.ui.auth;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * Sign-in and sign-out, outside Vaadin: {@code /login} sends the browser to the identity provider,
 * {@code /oauth/callback} takes it back, {@code /logout} ends both sessions, {@code /signed-out} says so.
 */
public class SignInServlet extends HttpServlet {
    private static final Logger LOG = LoggerFactory.getLogger(SignInServlet.class);
    private static final String PENDING = "vigil.pending-sign-ins";
    /** A sign-in left at the identity provider's page longer than this has to start again. */
    private static final Duration PENDING_FOR = Duration.ofMinutes(15);
    private final transient OidcClient oidc;

    public SignInServlet(OidcClient oidc) {
        this.oidc = oidc;
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        resp.setHeader("Cache-Control", "no-store");
        switch (req.getServletPath()) {
            case "/login" -> login(req, resp);
            case "/oauth/callback" -> callback(req, resp);
            case "/logout" -> logout(req, resp);
            default -> signedOut(resp);
        }
    }

    @Override
    protected void doPost(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        // sign-out is a POST from the dashboard's menu (a GET link could be triggered by another site's image)
        if ("/logout".equals(req.getServletPath())) {
            logout(req, resp);
        } else {
            resp.sendError(405);
        }
    }

    private void login(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        OidcClient.Pending p = oidc.start(safeNext(req.getParameter("next")));
        String url;
        try {
            url = oidc.authorizationUrl(p);
        } catch (OidcClient.SignInFailed e) {
            LOG.warn("sign-in cannot start: {}", e.getMessage());
            page(resp, 503, "Sign-in is unavailable", e.getMessage(), "/login", "Try again");
            return;
        }
        pending(req.getSession(true)).put(p.state(), p);
        resp.sendRedirect(url);
    }

    private void callback(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(false);
        String state = req.getParameter("state");
        OidcClient.Pending p = session == null || state == null ? null : pending(session).remove(state);
        if (req.getParameter("error") != null) {
            page(resp, 401, "Sign-in was not completed", String.valueOf(req.getParameter("error_description") == null
                    ? req.getParameter("error") : req.getParameter("error_description")), "/login", "Sign in");
            return;
        }
        if (p == null || p.startedAt().plus(PENDING_FOR).isBefore(Instant.now()) || req.getParameter("code") == null) {
            page(resp, 400, "Sign-in expired", "This sign-in was started too long ago or in another browser. Please sign in again.",
                    "/login", "Sign in");
            return;
        }
        try {
            SignedInUser user = oidc.finish(p, req.getParameter("code"));
            // a new session id for the signed-in session: an id planted before sign-in (fixation) is worthless
            req.changeSessionId();
            req.getSession().setAttribute(SignedInUser.SESSION_ATTRIBUTE, user);
            LOG.info("{} signed in to the dashboard (tenant {}, roles {})", user.username(), user.tenant(), user.roles());
            resp.sendRedirect(p.next());
        } catch (OidcClient.SignInFailed e) {
            LOG.warn("sign-in failed: {}", e.getMessage());
            page(resp, 403, "Sign-in failed", e.getMessage(), "/login", "Try again");
        }
    }

    private void logout(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        HttpSession session = req.getSession(false);
        SignedInUser user = session == null ? null : (SignedInUser) session.getAttribute(SignedInUser.SESSION_ATTRIBUTE);
        if (session != null) {
            session.invalidate();
        }
        if (user == null) {
            resp.sendRedirect("/signed-out");
            return;
        }
        LOG.info("{} signed out of the dashboard", user.username());
        try {
            resp.sendRedirect(oidc.endSessionUrl(user.idToken()));
        } catch (OidcClient.SignInFailed e) {
            // our session is gone either way; the identity provider's ends by itself
            resp.sendRedirect("/signed-out");
        }
    }

    private static void signedOut(HttpServletResponse resp) throws IOException {
        page(resp, 200, "Your session has ended", "You signed out, or the session was left idle for too long.", "/login",
                "Sign in again");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, OidcClient.Pending> pending(HttpSession session) {
        Object m = session.getAttribute(PENDING);
        if (m == null) {
            m = new HashMap<String, OidcClient.Pending>();
            session.setAttribute(PENDING, m);
        }
        return (Map<String, OidcClient.Pending>) m;
    }

    /** Only a path of this site: an open redirect after sign-in would hand a signed-in user to anyone's page. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/") || next.startsWith("//") || next.contains("\\") || next.startsWith("/login")
                || next.startsWith("/oauth/")) {
            return "/";
        }
        return next;
    }

    private static void page(HttpServletResponse resp, int status, String title, String message, String href, String link)
            throws IOException {
        resp.setStatus(status);
        resp.setContentType("text/html;charset=UTF-8");
        try (PrintWriter w = resp.getWriter()) {
            w.printf("""
                    <!doctype html><html lang="en"><head><meta charset="utf-8"><title>%1$s · Vigil</title>
                    <meta name="viewport" content="width=device-width, initial-scale=1">
                    <style>body{font-family:system-ui,sans-serif;background:#f4f6f8;color:#1a1f24;display:grid;place-items:center;
                    min-height:100vh;margin:0}main{background:#fff;padding:2rem 2.5rem;border-radius:8px;max-width:32rem;
                    box-shadow:0 1px 4px #0002}a{display:inline-block;margin-top:1rem;padding:.5rem 1rem;background:#0b5cad;color:#fff;
                    border-radius:4px;text-decoration:none}a:focus{outline:3px solid #f5a623}</style></head>
                    <body><main><h1>%1$s</h1><p>%2$s</p><a href="%3$s">%4$s</a></main></body></html>""",
                    esc(title), esc(message), esc(href), esc(link));
        }
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
