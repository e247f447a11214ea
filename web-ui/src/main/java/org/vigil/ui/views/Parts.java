package org.vigil.ui.views;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.UI;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.OrderedList;
import com.vaadin.flow.component.html.Span;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.vigil.alerting.Alerts;
import org.vigil.ui.format.Ago;

import java.time.ZoneId;
import java.util.List;
import java.util.function.Function;

/** Pieces more than one view shows the same way. */
final class Parts {
    private static final Logger LOG = LoggerFactory.getLogger(Parts.class);

    private Parts() {
    }

    /** A labelled value of a facts row (MRN, first seen …). */
    static Component fact(String label, String value) {
        Div f = new Div(new Span(label), new Span(value));
        f.addClassName("vigil-fact");
        return f;
    }

    /** An alert's audit trail: when, who, what, and the note given. */
    static OrderedList trail(List<Alerts.Transition> transitions, ZoneId zone) {
        OrderedList list = new OrderedList();
        list.addClassName("vigil-trail");
        list.getElement().setAttribute("aria-label", "Audit trail");
        for (Alerts.Transition t : transitions) {
            list.add(new ListItem(Ago.exact(t.at(), zone) + " · " + t.actor() + " · " + t.action()
                    + (t.fromStatus() == null ? "" : " (" + t.fromStatus() + " → " + t.toStatus() + ")")
                    + (t.reason() == null || t.reason().isBlank() ? "" : " — " + t.reason())));
        }
        return list;
    }

    /**
     * Keeps a live subscription (status, alert signals, ticks) exactly while the component is on a page: it starts
     * on attach with the component's UI and is closed on detach, so a closed tab leaves no listener behind.
     */
    static void whileAttached(Component component, Function<UI, AutoCloseable> subscribe) {
        component.addAttachListener(attach -> {
            AutoCloseable subscription = subscribe.apply(attach.getUI());
            component.addDetachListener(detach -> {
                detach.unregisterListener();
                try {
                    subscription.close();
                } catch (Exception e) {
                    LOG.warn("could not close a dashboard subscription: {}", e.toString());
                }
            });
        });
    }
}
