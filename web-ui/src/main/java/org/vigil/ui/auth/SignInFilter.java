package org.vigil.ui.auth;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpSession;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Nothing of the dashboard is served to a browser that has not signed in: page loads go to {@code /login} and
 * come back where they were; other requests get 401. Vaadin's own requests of an expired session pass, so Vaadin
 * can tell the page its session has expired (it then goes to sign-in; no UI exists in a fresh session to answer).
 */
public class SignInFilter extends HttpFilter {

    @Override
    protected void doFilter(HttpServletRequest req, HttpServletResponse resp, FilterChain chain) throws IOException, ServletException {
        String path = req.getServletPath() + (req.getPathInfo() == null ? "" : req.getPathInfo());
        if (open(path) || signedIn(req) || expiredVaadinRequest(req)) {
            chain.doFilter(req, resp);
            return;
        }
        if ("GET".equals(req.getMethod()) && req.getParameter("v-r") == null) {
            String next = path + (req.getQueryString() == null ? "" : "?" + req.getQueryString());
            resp.sendRedirect("/login?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        } else {
            resp.sendError(401);
        }
    }

    private static boolean open(String path) {
        return path.equals("/login") || path.equals("/oauth/callback") || path.equals("/logout") || path.equals("/signed-out")
                || path.equals("/favicon.ico");
    }

    private static boolean signedIn(HttpServletRequest req) {
        HttpSession s = req.getSession(false);
        return s != null && s.getAttribute(SignedInUser.SESSION_ATTRIBUTE) instanceof SignedInUser;
    }

    private static boolean expiredVaadinRequest(HttpServletRequest req) {
        String r = req.getParameter("v-r");
        return "uidl".equals(r) || "heartbeat".equals(r) || "push".equals(r);
    }
}
