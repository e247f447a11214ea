package org.vigil.ui.views;

import com.vaadin.flow.component.Component;
import com.vaadin.flow.component.icon.Icon;
import com.vaadin.flow.component.icon.VaadinIcon;
import com.vaadin.flow.component.html.Span;

/** Severity and state markers that read without colour: an icon shape and a word, colour only on top. */
final class Badges {
    private Badges() {
    }

    static String label(String severity) {
        return switch (severity) {
            case "critical" -> "Critical";
            case "warning" -> "Warning";
            case "info" -> "Info";
            default -> severity;
        };
    }

    static Icon icon(String severity) {
        Icon i = vaadinIcon(severity).create();
        i.getElement().setAttribute("aria-hidden", "true");
        return i;
    }

    /** The icon's name for templates ({@code vaadin:exclamation-circle}). */
    static String iconName(String severity) {
        return "vaadin:" + vaadinIcon(severity).name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    private static VaadinIcon vaadinIcon(String severity) {
        return switch (severity) {
            case "critical" -> VaadinIcon.EXCLAMATION_CIRCLE;
            case "warning" -> VaadinIcon.WARNING;
            default -> VaadinIcon.INFO_CIRCLE;
        };
    }

    static Component severity(String severity) {
        Span s = new Span(icon(severity), new Span(label(severity)));
        s.addClassName("vigil-badge");
        s.getElement().setAttribute("data-severity", severity);
        return s;
    }

    /** A state word with a marker: ok, warn or bad (health, consent, device status). */
    static Component state(String text, String level) {
        Icon i = switch (level) {
            case "bad" -> VaadinIcon.CLOSE_CIRCLE.create();
            case "warn" -> VaadinIcon.WARNING.create();
            default -> VaadinIcon.CHECK_CIRCLE.create();
        };
        i.getElement().setAttribute("aria-hidden", "true");
        Span s = new Span(i, new Span(text));
        s.addClassName("vigil-badge");
        s.getElement().setAttribute("data-level", level);
        return s;
    }
}
