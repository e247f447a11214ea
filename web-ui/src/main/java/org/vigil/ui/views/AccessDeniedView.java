package org.vigil.ui.views;

import com.vaadin.flow.component.html.H1;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.VerticalLayout;
import com.vaadin.flow.router.Route;
import io.micronaut.context.annotation.Prototype;
import jakarta.annotation.security.PermitAll;

/** A view the user's roles do not open. Says so plainly instead of pretending the page does not exist. */
@Route(value = "access-denied", layout = MainLayout.class)
@Prototype
@PermitAll
public class AccessDeniedView extends VerticalLayout {
    public AccessDeniedView() {
        addClassName("vigil-page");
        add(new H1("Not available to your role"),
                new Paragraph("Your account's roles do not include this page. Ask your tenant administrator if you need it."));
    }
}
