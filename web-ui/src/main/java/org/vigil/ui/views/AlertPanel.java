package org.vigil.ui.views;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.html.Div;
import com.vaadin.flow.component.html.H4;
import com.vaadin.flow.component.html.ListItem;
import com.vaadin.flow.component.html.OrderedList;
import com.vaadin.flow.component.html.Paragraph;
import com.vaadin.flow.component.orderedlayout.HorizontalLayout;
import com.vaadin.flow.router.RouterLink;
import com.vaadin.flow.router.RouteParameters;
import org.vigil.alerting.Alerts;
import org.vigil.ui.format.Ago;
import org.vigil.ui.format.Values;

import java.time.ZoneId;
import java.util.List;
import java.util.UUID;

/** One alert opened in the queue: what happened, its audit trail, who was told, and what can be done now. */
class AlertPanel extends Div {

    AlertPanel(TriageView queue, UUID alertId) {
        addClassName("vigil-alert-panel");
        Alerts.Detail d = queue.alerts().detail(queue.tenant(), alertId).orElse(null);
        if (d == null) {
            add(new Paragraph("This alert is no longer available."));
            return;
        }
        Alerts.AlertView a = d.alert();
        ZoneId zone = queue.zone();
        Div facts = new Div();
        facts.addClassName("vigil-facts");
        facts.add(Parts.fact("First value", Values.withUnit(a.firstValue(), a.unit())));
        facts.add(Parts.fact("Last value", Values.withUnit(a.lastValue(), a.unit())));
        facts.add(Parts.fact("Limit", Values.withUnit(a.limit(), a.unit())));
        facts.add(Parts.fact("Readings", String.valueOf(a.count())));
        facts.add(Parts.fact("First seen", Ago.exact(a.firstSeen(), zone)));
        facts.add(Parts.fact("Last seen", Ago.exact(a.lastSeen(), zone)));
        if (a.escalationLevel() > 0) {
            facts.add(Parts.fact("Escalation level", String.valueOf(a.escalationLevel())));
        }

        List<UUID> one = List.of(alertId);
        Button ack = new Button("Acknowledge", e -> BulkActions.acknowledge(queue, one));
        ack.setEnabled("open".equals(a.status()));
        ack.addThemeVariants(ButtonVariant.LUMO_PRIMARY, ButtonVariant.LUMO_SMALL);
        Button assign = new Button("Assign…", e -> BulkActions.assign(queue, one));
        Button snooze = new Button("Snooze…", e -> BulkActions.snooze(queue, one));
        Button resolve = new Button("Resolve…", e -> BulkActions.resolve(queue, one));
        for (Button b : List.of(assign, snooze, resolve)) {
            b.addThemeVariants(ButtonVariant.LUMO_SMALL);
            b.setEnabled(!"resolved".equals(a.status()));
        }
        RouterLink patient = new RouterLink("Open patient", PatientView.class, new RouteParameters("id", a.patientId().toString()));
        HorizontalLayout actions = new HorizontalLayout(ack, assign, snooze, resolve, patient);
        actions.setAlignItems(HorizontalLayout.Alignment.BASELINE);

        OrderedList trail = Parts.trail(d.transitions(), zone);
        OrderedList told = new OrderedList();
        told.addClassName("vigil-told");
        for (Alerts.DeliveryView dv : d.deliveries()) {
            // the event tells apart one channel's deliveries of the same alert (opened, acknowledged …)
            told.add(new ListItem(dv.event() + " · " + dv.channel() + " to " + dv.destination() + ": " + dv.status()
                    + (dv.attempts() > 1 ? " after " + dv.attempts() + " attempts" : "")));
        }
        add(facts, actions, new H4("Audit trail"), trail);
        if (!d.deliveries().isEmpty()) {
            add(new H4("Notifications"), told);
        }
    }

}
