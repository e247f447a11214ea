package org.vigil.ui.server;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.di.DefaultInstantiator;
import com.vaadin.flow.server.VaadinService;
import com.vaadin.flow.server.VaadinServiceInitListener;
import io.micronaut.context.BeanContext;

import java.util.stream.Stream;

/**
 * Lets Vaadin create views and listeners through Micronaut, so they get their services by constructor injection.
 * Classes Micronaut does not know (Vaadin's own) are created the usual way.
 */
public class MicronautInstantiator extends DefaultInstantiator {
    private final BeanContext beans;

    public MicronautInstantiator(VaadinService service, BeanContext beans) {
        super(service);
        this.beans = beans;
    }

    @Override
    public <T> T getOrCreate(Class<T> type) {
        return beans.containsBean(type) ? beans.getBean(type) : super.getOrCreate(type);
    }

    @Override
    public <T extends Component> T createComponent(Class<T> type) {
        return beans.containsBean(type) ? beans.getBean(type) : super.createComponent(type);
    }

    @Override
    public Stream<VaadinServiceInitListener> getServiceInitListeners() {
        return Stream.concat(super.getServiceInitListeners(), beans.getBeansOfType(VaadinServiceInitListener.class).stream());
    }
}
