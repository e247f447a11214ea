package org.vigil.ui.server;

import com.vaadin.flow.di.Instantiator;
import com.vaadin.flow.function.DeploymentConfiguration;
import com.vaadin.flow.server.ServiceException;
import com.vaadin.flow.server.VaadinServlet;
import com.vaadin.flow.server.VaadinServletService;
import io.micronaut.context.BeanContext;

import java.net.URL;

/** Vaadin's servlet with views and listeners created by Micronaut ({@link MicronautInstantiator}). */
public class MicronautVaadinServlet extends VaadinServlet {
    private final transient BeanContext beans;

    public MicronautVaadinServlet(BeanContext beans) {
        this.beans = beans;
    }

    @Override
    protected VaadinServletService createServletService(DeploymentConfiguration configuration) throws ServiceException {
        VaadinServletService service = new VaadinServletService(this, configuration) {
            @Override
            protected Instantiator createInstantiator() {
                return new MicronautInstantiator(this, beans);
            }

            /*
             * Files such as the push client live in META-INF/resources of Vaadin's jars. An embedded Jetty's servlet
             * context does not see into jars, and Vaadin's own look-up fails on jar URLs it did not open itself.
             */
            @Override
            public URL getStaticResource(String path) {
                URL url = MicronautVaadinServlet.class.getClassLoader().getResource("META-INF/resources" + path);
                return url != null ? url : super.getStaticResource(path);
            }
        };
        service.init();
        return service;
    }
}
