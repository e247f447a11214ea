package org.vigil.app;

import com.github.mvysny.kaributesting.v10.MockVaadin;
import com.github.mvysny.kaributesting.v10.Routes;
import com.github.mvysny.kaributesting.v10.mock.MockService;
import com.github.mvysny.kaributesting.v10.mock.MockVaadinServlet;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.di.Instantiator;
import com.vaadin.flow.function.DeploymentConfiguration;
import com.vaadin.flow.server.ServiceException;
import com.vaadin.flow.server.VaadinServletService;
import com.vaadin.flow.server.VaadinSession;
import io.micronaut.context.ApplicationContext;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.vigil.ui.auth.SignedInUser;
import org.vigil.ui.server.MicronautInstantiator;

import java.time.Instant;
import java.util.Set;

/**
 * Karibu-Testing for the dashboard's views: real views, created by this test's Micronaut context with the real
 * services on the real stack, in a mocked browser session (no servlet container, no browser).
 */
abstract class KaribuSupport extends BackendTestSupport {
    /** Routes are found once per JVM: the class-path scan takes a second or two. */
    private static final Routes ROUTES = new Routes().autoDiscoverViews("org.vigil.ui.views");

    @Inject
    ApplicationContext ctx;

    @BeforeEach
    void mockVaadin() {
        MockVaadin.setup(UI::new, new MicronautMockServlet(ROUTES, ctx));
    }

    @AfterEach
    void tearDownVaadin() {
        MockVaadin.tearDown();
    }

    /** Signs the mocked session in as the identity provider would have. */
    static SignedInUser signIn(String tenant, String... roles) {
        String name = roles.length == 0 ? "nobody" : roles[0];
        SignedInUser user = new SignedInUser("sub-" + name, name + "@" + (tenant == null ? "platform" : tenant),
                "Test " + name, tenant, Set.of(roles), "id-token", Instant.now());
        VaadinSession.getCurrent().getSession().setAttribute(SignedInUser.SESSION_ATTRIBUTE, user);
        return user;
    }

    /** Karibu's servlet with views and listeners created by Micronaut, as the dashboard's own servlet does. */
    private static final class MicronautMockServlet extends MockVaadinServlet {
        private final transient ApplicationContext ctx;

        MicronautMockServlet(Routes routes, ApplicationContext ctx) {
            super(routes);
            this.ctx = ctx;
        }

        @Override
        protected VaadinServletService createServletService(DeploymentConfiguration configuration) throws ServiceException {
            MockService service = new MockService(this, configuration, getUiFactory()) {
                private Instantiator instantiator;

                // init() asks createInstantiator() for the service init listeners (the route guard among them)
                @Override
                protected Instantiator createInstantiator() {
                    return getInstantiator();
                }

                @Override
                public Instantiator getInstantiator() {
                    if (instantiator == null) {
                        instantiator = new MicronautInstantiator(this, ctx);
                    }
                    return instantiator;
                }
            };
            service.init();
            getRoutes().register(service.getContext());
            return service;
        }
    }
}
