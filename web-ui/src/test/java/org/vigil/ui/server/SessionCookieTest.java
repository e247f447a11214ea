package org.vigil.ui.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The session cookie as a browser gets it, from a real Jetty over plain http, as behind a TLS-ending proxy. */
class SessionCookieTest {

    private static String sessionCookie(String publicUrl) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        ServletContextHandler web = new ServletContextHandler(ServletContextHandler.SESSIONS);
        DashboardServer.configureSessions(web.getSessionHandler(), new UiSettings(true, "127.0.0.1", 0, publicUrl,
                "http://127.0.0.1:1/realms/vigil", "vigil-web", Duration.ofMinutes(30)));
        web.addServlet(new ServletHolder(new HttpServlet() {
            @Override
            protected void doGet(HttpServletRequest req, HttpServletResponse resp) {
                req.getSession(true);
            }
        }), "/*");
        server.setHandler(web);
        server.start();
        try {
            HttpResponse<Void> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/login")).build(),
                    HttpResponse.BodyHandlers.discarding());
            return r.headers().firstValue("Set-Cookie").orElseThrow();
        } finally {
            server.stop();
        }
    }

    @Test
    void behindAnHttpsAddressTheCookieTravelsOverTlsOnly() throws Exception {
        String cookie = sessionCookie("https://rpm.example.org/");
        assertTrue(cookie.contains("; Secure"), cookie);
        assertTrue(cookie.contains("; HttpOnly"), cookie);
        assertTrue(cookie.contains("; SameSite=Lax"), cookie);
    }

    @Test
    void onAPlainHttpAddressTheCookieCanStillBeSentOrNobodyCouldSignIn() throws Exception {
        String cookie = sessionCookie("http://127.0.0.1:18081");
        assertFalse(cookie.contains("Secure"), cookie);
        assertTrue(cookie.contains("; HttpOnly"), cookie);
    }
}
