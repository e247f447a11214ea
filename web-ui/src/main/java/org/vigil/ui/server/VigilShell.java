package org.vigil.ui.server;

import com.vaadin.flow.component.page.AppShellConfigurator;
import com.vaadin.flow.component.page.Push;
import com.vaadin.flow.server.AppShellSettings;
import com.vaadin.flow.shared.communication.PushMode;
import com.vaadin.flow.shared.ui.Transport;
import jakarta.inject.Singleton;

/**
 * The page around every view. Push keeps the triage queue and the status banner current without a reload.
 * Long polling needs nothing of the servlet container beyond async requests (no WebSocket endpoint in Jetty).
 */
@Singleton
@Push(value = PushMode.AUTOMATIC, transport = Transport.LONG_POLLING)
public class VigilShell implements AppShellConfigurator {
    @Override
    public void configurePage(AppShellSettings settings) {
        settings.setPageTitle("Vigil");
        // the app shell's @StyleSheet is not emitted with the pre-built bundle; a plain link is
        settings.addLink("stylesheet", "/styles/vigil.css");
    }
}
