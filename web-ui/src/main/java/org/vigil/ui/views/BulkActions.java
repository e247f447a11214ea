package org.vigil.ui.views;

import com.vaadin.flow.component.button.Button;
import com.vaadin.flow.component.button.ButtonVariant;
import com.vaadin.flow.component.dialog.Dialog;
import com.vaadin.flow.component.select.Select;
import com.vaadin.flow.component.textfield.TextArea;
import com.vaadin.flow.component.textfield.TextField;
import org.vigil.alerting.Alerts;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;

/**
 * Acknowledge, assign, snooze and resolve, for one alert or a selection. Each alert is changed on its own (each
 * has its own audit entry); the result says how many changed and how many had already moved on.
 */
final class BulkActions {
    static final List<String> SNOOZES = List.of("30 minutes", "1 hour", "4 hours", "24 hours");

    private BulkActions() {
    }

    record Outcome(int changed, int skipped) {
        String sentence(String verb) {
            String s = changed + (changed == 1 ? " alert " : " alerts ") + verb;
            return skipped == 0 ? s : s + "; " + skipped + " had already changed or were resolved";
        }
    }

    static Outcome apply(Collection<UUID> ids, Function<UUID, Optional<Alerts.AlertView>> action) {
        int changed = 0;
        for (UUID id : ids) {
            if (action.apply(id).isPresent()) {
                changed++;
            }
        }
        return new Outcome(changed, ids.size() - changed);
    }

    static void acknowledge(TriageView v, List<UUID> ids) {
        done(v, apply(ids, id -> v.alerts().acknowledge(v.tenant(), id, v.user().username(), null)), "acknowledged");
    }

    static void assign(TriageView v, List<UUID> ids) {
        TextField to = new TextField("Assign to");
        to.setValue(v.user().username());
        to.setRequired(true);
        to.setMaxLength(200);
        dialog("Assign " + count(ids), to, () -> {
            if (to.getValue().isBlank()) {
                to.setInvalid(true);
                to.setErrorMessage("Say who takes these alerts.");
                return false;
            }
            done(v, apply(ids, id -> v.alerts().assign(v.tenant(), id, v.user().username(), to.getValue().trim())),
                    "assigned to " + to.getValue().trim());
            return true;
        });
    }

    static void snooze(TriageView v, List<UUID> ids) {
        Select<String> howLong = new Select<>();
        howLong.setLabel("Snooze for");
        howLong.setItems(SNOOZES);
        howLong.setValue(SNOOZES.get(1));
        TextArea note = new TextArea("Note (optional)");
        dialog("Snooze " + count(ids), new com.vaadin.flow.component.html.Div(howLong, note), () -> {
            Instant until = v.clock().instant().plus(snoozeFor(howLong.getValue()));
            done(v, apply(ids, id -> v.alerts().snooze(v.tenant(), id, v.user().username(), until, blankToNull(note.getValue()))),
                    "snoozed for " + howLong.getValue());
            return true;
        });
    }

    static void resolve(TriageView v, List<UUID> ids) {
        TextArea note = new TextArea("Why is this resolved?");
        note.setRequired(true);
        note.setWidthFull();
        dialog("Resolve " + count(ids), note, () -> {
            if (note.getValue().isBlank()) {
                note.setInvalid(true);
                note.setErrorMessage("Resolving by hand needs a note: it goes into the audit trail.");
                return false;
            }
            done(v, apply(ids, id -> v.alerts().resolve(v.tenant(), id, v.user().username(), note.getValue().trim())), "resolved");
            return true;
        });
    }

    static Duration snoozeFor(String choice) {
        return switch (choice) {
            case "30 minutes" -> Duration.ofMinutes(30);
            case "4 hours" -> Duration.ofHours(4);
            case "24 hours" -> Duration.ofHours(24);
            default -> Duration.ofHours(1);
        };
    }

    private static void done(TriageView v, Outcome o, String verb) {
        v.told(o.sentence(verb), o.skipped() == 0);
        v.clearSelection();
        v.refresh();
    }

    private static String count(List<UUID> ids) {
        return ids.size() == 1 ? "1 alert" : ids.size() + " alerts";
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** A small modal form: Enter confirms, Escape cancels; it stays open while its input is invalid. */
    private static void dialog(String title, com.vaadin.flow.component.Component body, java.util.function.BooleanSupplier confirm) {
        Dialog d = new Dialog();
        d.setHeaderTitle(title);
        d.add(body);
        Button ok = new Button("Confirm", e -> {
            if (confirm.getAsBoolean()) {
                d.close();
            }
        });
        ok.addThemeVariants(ButtonVariant.LUMO_PRIMARY);
        Button cancel = new Button("Cancel", e -> d.close());
        d.getFooter().add(cancel, ok);
        d.open();
    }
}
