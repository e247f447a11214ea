package org.vigil.ui.server;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.router.Route;
import com.vaadin.flow.router.RouteAlias;
import com.vaadin.flow.server.InitParameters;
import com.vaadin.flow.server.startup.LookupServletContainerInitializer;
import com.vaadin.flow.server.startup.RouteRegistryInitializer;
import com.vaadin.flow.server.startup.VaadinAppShellInitializer;
import com.vaadin.flow.di.LookupInitializer;
import io.micronaut.context.ApplicationContext;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Requires;
import io.micronaut.inject.BeanDefinition;
import io.micronaut.inject.qualifiers.Qualifiers;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.servlet.DispatcherType;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContainerInitializerHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.servlet.SessionHandler;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.ui.auth.OidcClient;
import org.vigil.ui.auth.SignInFilter;
import org.vigil.ui.auth.SignInServlet;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Serves the dashboard on its own port from this process (Jetty 12; the API stays on Micronaut's Netty).
 * Vaadin's initializers are fed the classes Micronaut already knows instead of scanning the class path.
 */
@Context
@Requires(property = "vigil.ui.enabled", notEquals = "false")
public class DashboardServer {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardServer.class);
    private final ApplicationContext ctx;
    private final UiSettings settings;
    private final OidcClient oidc;
    private Server server;

    public DashboardServer(ApplicationContext ctx, UiSettings settings, OidcClient oidc) {
        this.ctx = ctx;
        this.settings = settings;
        this.oidc = oidc;
    }

    @PostConstruct
    void start() throws Exception {
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost(settings.host());
        connector.setPort(settings.port());
        server.addConnector(connector);

        ServletContextHandler web = new ServletContextHandler(ServletContextHandler.SESSIONS);
        web.setContextPath("/");
        // Vaadin loads its resources through the context class loader, which Jetty leaves unset when embedded
        web.setClassLoader(DashboardServer.class.getClassLoader());
        configureSessions(web.getSessionHandler(), settings);

        web.addFilter(new FilterHolder(new SignInFilter()), "/*", EnumSet.of(DispatcherType.REQUEST));
        ServletHolder signIn = new ServletHolder(new SignInServlet(oidc));
        for (String path : new String[]{"/login", "/oauth/callback", "/logout", "/signed-out"}) {
            web.addServlet(signIn, path);
        }
        web.addServlet(new ServletHolder(new StyleServlet()), "/styles/*");
        ServletHolder vaadin = new ServletHolder(new MicronautVaadinServlet(ctx));
        vaadin.setAsyncSupported(true);
        // heartbeats and pushed updates keep a session alive only while someone uses it: idle sessions end
        vaadin.setInitParameter("closeIdleSessions", "true");
        // the page's HTML carries the view's first response: one round trip less before a view shows (about 85 ms of
        // the triage queue's first load on our machines)
        vaadin.setInitParameter(InitParameters.SERVLET_PARAMETER_INITIAL_UIDL, "true");
        web.addServlet(vaadin, "/*");

        web.addServletContainerInitializer(new ServletContainerInitializerHolder(LookupServletContainerInitializer.class,
                LookupInitializer.class));
        web.addServletContainerInitializer(new ServletContainerInitializerHolder(RouteRegistryInitializer.class,
                routeClasses().toArray(Class[]::new)));
        web.addServletContainerInitializer(new ServletContainerInitializerHolder(VaadinAppShellInitializer.class,
                ctx.getBeanDefinitions(AppShellConfigurator.class).stream().map(BeanDefinition::getBeanType).toArray(Class[]::new)));
        server.setHandler(web);
        server.start();
        LOG.info("Dashboard on http://{}:{} (public address {}, sign-in through {})", settings.host(),
                connector.getLocalPort(), settings.publicUrl(), settings.issuer());
    }

    /**
     * The session cookie is the sign-in: out of reach of scripts, not sent along with other sites' requests, and
     * sent over TLS only when browsers reach the dashboard over https. TLS ends at the reverse proxy, so the request
     * Jetty sees is plain http and cannot tell: the public address can.
     */
    static void configureSessions(SessionHandler sessions, UiSettings settings) {
        sessions.setMaxInactiveInterval((int) settings.idleTimeout().toSeconds());
        sessions.setHttpOnly(true);
        sessions.setSameSite(HttpCookie.SameSite.LAX);
        sessions.setSecureCookies(settings.base().startsWith("https://"));
    }

    private Set<Class<?>> routeClasses() {
        Set<Class<?>> routes = new LinkedHashSet<>();
        for (BeanDefinition<?> d : ctx.getBeanDefinitions(Qualifiers.byStereotype(Route.class))) {
            routes.add(d.getBeanType());
        }
        for (BeanDefinition<?> d : ctx.getBeanDefinitions(Qualifiers.byStereotype(RouteAlias.class))) {
            routes.add(d.getBeanType());
        }
        return routes;
    }

    /** The port it listens on (the configured one, or the one chosen for port 0). */
    public int port() {
        return ((ServerConnector) server.getConnectors()[0]).getLocalPort();
    }

    @PreDestroy
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }
}
