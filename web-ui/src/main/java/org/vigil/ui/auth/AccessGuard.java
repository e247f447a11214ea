package org.vigil.ui.auth;

import com.vaadin.flow.router.BeforeEnterEvent;
import com.vaadin.flow.server.CustomizedSystemMessages;
import com.vaadin.flow.server.ServiceInitEvent;
import com.vaadin.flow.server.VaadinServiceInitListener;
import com.vaadin.flow.server.VaadinSession;
import jakarta.inject.Singleton;
import org.vigil.ui.views.AccessDeniedView;
import org.vigil.ui.views.NotSignedInView;

import java.util.Optional;

/** Checks every navigation against the view's roles before the view is created. */
@Singleton
public class AccessGuard implements VaadinServiceInitListener {

    @Override
    public void serviceInit(ServiceInitEvent event) {
        event.getSource().addUIInitListener(ui -> ui.getUI().addBeforeEnterListener(AccessGuard::check));
        // an ended session (idle too long, or signed out in this or another tab) shows the signed-out page, not a
        // "session expired" box. Not /login: a page that is signing out would race its own sign-out back into Keycloak.
        CustomizedSystemMessages messages = new CustomizedSystemMessages();
        messages.setSessionExpiredNotificationEnabled(false);
        messages.setSessionExpiredURL("/signed-out");
        event.getSource().setSystemMessagesProvider(info -> messages);
    }

    static void check(BeforeEnterEvent event) {
        Class<?> target = event.getNavigationTarget();
        if (target == NotSignedInView.class || target == AccessDeniedView.class) {
            return;
        }
        Optional<SignedInUser> user = Access.user(VaadinSession.getCurrent());
        if (user.isEmpty()) {
            event.rerouteTo(NotSignedInView.class);
        } else if (!Access.allowed(target, user.get())) {
            event.rerouteTo(AccessDeniedView.class);
        }
    }
}
