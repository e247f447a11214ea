package org.vigil.sandbox.http;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.eclipse.jetty.ee10.servlet.FilterHolder;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.util.EnumSet;

/**
 * The embedded Jetty that serves FHIR, the token endpoint and the admin API on one port. The port is bound when
 * this is made, so the URLs the servlets publish are known before they are built. Taking the connector down closes
 * the listening socket and the open connections, so clients see connection refused, and it comes back on the same
 * port.
 */
public final class HttpHost implements AutoCloseable {

    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context = new ServletContextHandler();
    private final int port;

    public HttpHost(String host, int port) throws IOException {
        QueuedThreadPool threads = new QueuedThreadPool(200, 4);
        threads.setName("sandbox-http");
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(1000);
        connector = new ServerConnector(server);
        connector.setHost(host);
        connector.setPort(port);
        connector.setReuseAddress(true);
        server.addConnector(connector);
        connector.open();
        this.port = connector.getLocalPort();
        connector.setPort(this.port);
        context.setContextPath("/");
        server.setHandler(context);
    }

    public int port() {
        return port;
    }

    public void servlet(HttpServlet servlet, String pathSpec) {
        context.addServlet(new ServletHolder(servlet), pathSpec);
    }

    public void filter(Filter filter, String pathSpec) {
        context.addFilter(new FilterHolder(filter), pathSpec, EnumSet.of(DispatcherType.REQUEST));
    }

    public void start() throws Exception {
        server.start();
    }

    /** Down: connections are refused (and open ones closed). Up: listening again on the same port. */
    public synchronized void down(boolean down) throws Exception {
        if (down && connector.isStarted()) {
            connector.stop();
        } else if (!down && !connector.isStarted()) {
            connector.start();
        }
    }

    public synchronized boolean isDown() {
        return !connector.isStarted();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
