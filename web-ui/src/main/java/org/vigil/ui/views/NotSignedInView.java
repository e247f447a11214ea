package org.vigil.ui.views;

import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import jakarta.annotation.security.PermitAll;

/** Where a navigation without a signed-in user ends (the sign-in filter normally redirects before this). */
@Route("not-signed-in")
@Prototype
@PermitAll
public class NotSignedInView extends VerticalLayout {
    public NotSignedInView() {
        Anchor signIn = new Anchor("/login", "Sign in");
        signIn.setRouterIgnore(true);
        add(new H1("Please sign in"), new Paragraph("Your session has ended or you have not signed in yet."), signIn);
    }
}
