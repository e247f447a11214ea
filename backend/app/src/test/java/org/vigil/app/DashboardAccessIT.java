package org.vigil.app;

import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.sidenav.SideNavItem;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.ui.auth.Access;
import org.vigil.ui.views.AccessDeniedView;
import org.vigil.ui.views.NotSignedInView;
import org.vigil.ui.views.OperationsView;
import org.vigil.ui.views.PatientView;
import org.vigil.ui.views.PatientsView;
import org.vigil.ui.views.TriageView;

import java.util.List;
import java.util.UUID;

import static com.github.mvysny.kaributesting.v10.LocatorJ._find;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** The dashboard's route guards: who reaches which view, and what the navigation offers them. */
@MicronautTest
class DashboardAccessIT extends KaribuSupport {
    private Registry registry;

    @BeforeAll
    void tenant() throws Exception {
        registry = Registry.newTenant("ui-access");
    }

    @AfterAll
    void close() throws Exception {
        registry.close();
    }

    private static Object view(String location) {
        UI.getCurrent().navigate(location);
        return UI.getCurrent().getInternals().getActiveRouterTargetsChain().get(0);
    }

    @Test
    void nobodySignedInSeesNoView() {
        for (String location : List.of("", "patients", "operations", "patients/" + UUID.randomUUID())) {
            assertInstanceOf(NotSignedInView.class, view(location), location);
        }
    }

    @Test
    void careTeamRolesOpenTheClinicalViews() {
        for (String role : List.of(Access.CARE_MANAGER, Access.PHYSICIAN, Access.TENANT_ADMIN)) {
            signIn(registry.tenant(), role);
            assertInstanceOf(TriageView.class, view(""), role);
            assertInstanceOf(PatientsView.class, view("patients"), role);
            assertInstanceOf(OperationsView.class, view("operations"), role);
            assertEquals(List.of("Triage", "Patients", "Operations"), nav(), role);
        }
    }

    @Test
    void aPlatformAdministratorWithoutTenantSeesOperationsOnly() {
        signIn(null, Access.PLATFORM_ADMIN);
        assertInstanceOf(AccessDeniedView.class, view(""));
        assertInstanceOf(AccessDeniedView.class, view("patients"));
        assertInstanceOf(AccessDeniedView.class, view("patients/" + UUID.randomUUID()));
        assertInstanceOf(OperationsView.class, view("operations"));
        assertEquals(List.of("Operations"), nav());
    }

    @Test
    void aUserWithoutDashboardRolesIsTurnedAway() {
        signIn(registry.tenant(), "offline_access");
        for (String location : List.of("", "patients", "operations")) {
            assertInstanceOf(AccessDeniedView.class, view(location), location);
        }
    }

    @Test
    void anUnknownPatientAndAnotherTenantsPatientLookTheSame() throws Exception {
        UUID mine = registry.patient("Mina Mine");
        try (Registry other = Registry.newTenant("ui-other")) {
            UUID theirs = other.patient("Theo Theirs");
            signIn(registry.tenant(), Access.CARE_MANAGER);
            assertInstanceOf(PatientView.class, view("patients/" + mine));
            assertEquals(1, _find(com.vaadin.flow.component.html.H2.class, s -> s.withText("Mina Mine")).size());
            for (String id : List.of(theirs.toString(), UUID.randomUUID().toString(), "not-a-uuid")) {
                view("patients/" + id);
                assertEquals(1, _find(com.vaadin.flow.component.html.H2.class, s -> s.withText("Patient not found")).size(), id);
                assertEquals(0, _find(com.vaadin.flow.component.html.H2.class, s -> s.withText("Theo Theirs")).size(), id);
            }
        }
    }

    private static List<String> nav() {
        return _find(SideNavItem.class).stream().map(SideNavItem::getLabel).toList();
    }
}
