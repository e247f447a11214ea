package org.vigil.ui.views;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.HasElement;
import com.vaadin.flow.component.applayout.AppLayout;
import com.vaadin.flow.component.applayout.DrawerToggle;
import com.vaadin.flow.component.html.Anchor;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.Span;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.sidenav.SideNav;
import com.vaadin.flow.component.sidenav.SideNavItem;
import io.micronaut.context.annotation.Prototype;
import org.vigil.core.TenantId;
import org.vigil.ui.auth.Access;
import org.vigil.ui.auth.SignedInUser;
import org.vigil.ui.live.PlatformStatus;
import org.vigil.ui.live.StatusBroadcaster;

import java.util.List;

/**
 * The frame of every view: navigation limited to what the user's roles open, who is signed in and to which
 * tenant, sign-out, and a banner while anything is degraded.
 */
@Prototype
public class MainLayout extends AppLayout {
    private final Div banner = new Div();
    private final Div body = new Div();

    public MainLayout(StatusBroadcaster status) {
        SignedInUser user = Access.current();
        setPrimarySection(Section.DRAWER);

        Span product = new Span("Vigil");
        product.addClassName("vigil-product");
        Span tenant = new Span(user.tenant() == null ? "platform" : user.tenant());
        tenant.addClassName("vigil-tenant");
        tenant.getElement().setAttribute("title", "Tenant");
        Div drawerHead = new Div(product, tenant);
        drawerHead.addClassName("vigil-drawer-head");

        SideNav nav = new SideNav();
        nav.setLabel("Main");
        item(nav, user, "Triage", TriageView.class, VaadinIcon.BELL);
        item(nav, user, "Patients", PatientsView.class, VaadinIcon.USERS);
        item(nav, user, "Operations", OperationsView.class, VaadinIcon.DASHBOARD);
        addToDrawer(drawerHead, nav);

        Span who = new Span(user.displayName());
        who.addClassName("vigil-user");
        who.getElement().setAttribute("title", user.username() + " · " + String.join(", ", user.roles().stream().sorted().toList()));
        Anchor signOut = new Anchor("/logout", "Sign out");
        signOut.setRouterIgnore(true);
        signOut.addClassName("vigil-signout");
        Div spacer = new Div();
        spacer.addClassName("vigil-spacer");
        addToNavbar(new DrawerToggle(), spacer, who, signOut);

        banner.addClassName("vigil-banner");
        banner.getElement().setAttribute("role", "status");
        banner.getElement().setAttribute("aria-live", "polite");
        banner.setVisible(false);
        body.addClassName("vigil-body");
        super.setContent(new Div(banner, body));
        TenantId tenantId = user.tenant() == null ? null : new TenantId(user.tenant());
        Parts.whileAttached(this, ui -> status.subscribe(tenantId, problems -> ui.access(() -> show(problems))));
    }

    private static void item(SideNav nav, SignedInUser user, String label, Class<? extends Component> view, VaadinIcon icon) {
        if (Access.allowed(view, user)) {
            nav.addItem(new SideNavItem(label, view, icon.create()));
        }
    }

    @Override
    public void showRouterLayoutContent(HasElement content) {
        body.removeAll();
        if (content != null) {
            body.getElement().appendChild(content.getElement());
        }
    }



    /** Shown in words with an icon and a border, never by colour alone. */
    void show(List<PlatformStatus.Problem> problems) {
        banner.removeAll();
        banner.setVisible(!problems.isEmpty());
        boolean severe = problems.stream().anyMatch(PlatformStatus.Problem::severe);
        banner.getElement().setAttribute("data-level", severe ? "severe" : "degraded");
        for (PlatformStatus.Problem p : problems) {
            Div line = new Div(VaadinIcon.WARNING.create(), new Span(p.message()));
            line.addClassName("vigil-banner-line");
            line.getElement().setAttribute("data-component", p.component());
            banner.add(line);
        }
    }

    /** The problems the banner shows now, for tests. */
    public List<String> bannerMessages() {
        return banner.getChildren().map(c -> c.getElement().getTextRecursively()).toList();
    }
}
