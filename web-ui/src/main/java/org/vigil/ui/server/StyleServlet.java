package org.vigil.ui.server;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;

/** The dashboard's own style sheet (the pre-built Vaadin bundle cannot take a theme compiled in). */
class StyleServlet extends HttpServlet {
    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String name = req.getPathInfo() == null ? "" : req.getPathInfo().substring(1);
        if (!name.matches("[a-z0-9-]+\\.css")) {
            resp.sendError(404);
            return;
        }
        try (InputStream in = StyleServlet.class.getResourceAsStream("/org/vigil/ui/styles/" + name)) {
            if (in == null) {
                resp.sendError(404);
                return;
            }
            resp.setContentType("text/css;charset=UTF-8");
            resp.setHeader("Cache-Control", "max-age=300");
            in.transferTo(resp.getOutputStream());
        }
    }
}
