package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A tenant's alerting configuration: its programs, which apply to patients enrolled in none, who is told about
 * what, and the escalation ladder for unacknowledged critical alerts.
 *
 * @param defaultPrograms  programs for patients enrolled in none, so an unenrolled patient's critical value still
 *                         raises an alert (fail safe, not silent)
 * @param devices          device watch: silent devices and low batteries
 * @param escalation       the ladder: each step notifies a role once a critical alert has stayed unacknowledged
 *                         for {@code after} since it opened (the first step, usually after zero, is the first page)
 * @param contacts         per role, where its notifications go
 * @param warningsNotify   roles notified of non-critical alerts (the dashboard always shows them)
 * @param lateAfter        a reading taken longer than this before it arrived updates trends and raises its alert,
 *                         but nobody is paged for it: it is history, not an emergency
 * @param snoozeCoversCritical whether a patient-wide snooze also silences critical alerts (by default it does not)
 * @param timeZone         the clinic's: its calendar days are those of the RPM periods (readings on 16 days in 30),
 *                         and the dashboard shows times in it
 */
public record AlertConfig(Map<String, Program> programs, List<String> defaultPrograms, DeviceWatch devices,
                          List<EscalationStep> escalation, Map<String, Contacts> contacts, List<String> warningsNotify,
                          Duration lateAfter, boolean snoozeCoversCritical, ZoneId timeZone) {

    public AlertConfig {
        programs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(programs));
        defaultPrograms = List.copyOf(defaultPrograms);
        escalation = List.copyOf(escalation);
        contacts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(contacts));
        warningsNotify = List.copyOf(warningsNotify);
    }

    /** @param silentAfter a device that sent nothing for this long is reported; null = not watched */
    public record DeviceWatch(@Nullable Duration silentAfter, @Nullable Double batteryBelowPercent) {
        public static final DeviceWatch NONE = new DeviceWatch(null, null);

        /**
         * Whether a device counts as silent at {@code now} by the watch's rule (the device watch opens its alert on
         * the same test, on its own scan): nothing heard for {@code silentAfter} or more, counting from its
         * assignment when it was never heard from. False when silence is not watched.
         *
         * @param lastHeard     when it was last heard from (e.g. {@code DeviceView.lastSeen}); null: never
         * @param assignedSince when its current assignment began; null: not known, and a device never heard from
         *                      then counts as silent
         */
        public boolean silent(@Nullable Instant lastHeard, @Nullable Instant assignedSince, Instant now) {
            if (silentAfter == null) {
                return false;
            }
            Instant from = lastHeard != null ? lastHeard : assignedSince;
            return from == null || !now.isBefore(from.plus(silentAfter));
        }
    }

    public record EscalationStep(String role, Duration after) {
    }

    public record Contacts(List<String> email, List<String> webhook) {
        public Contacts {
            email = List.copyOf(email);
            webhook = List.copyOf(webhook);
        }
    }

    /** Every problem, each starting with the field at fault; empty when the configuration can be applied. */
    public List<String> problems() {
        List<String> out = new ArrayList<>();
        if (programs.isEmpty()) {
            out.add("programs: at least one program is needed.");
        }
        programs.forEach((name, p) -> {
            String at = "programs." + name;
            if (!name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                out.add(at + ": a program name must be 1–63 characters of a-z, 0-9 and '-'.");
            }
            if (!name.equals(p.name())) {
                out.add(at + ".name: '" + p.name() + "' differs from the program's key '" + name + "'.");
            }
            out.addAll(p.problems(at));
        });
        for (int i = 0; i < defaultPrograms.size(); i++) {
            if (!programs.containsKey(defaultPrograms.get(i))) {
                out.add("defaultPrograms[" + i + "]: no program is called '" + defaultPrograms.get(i) + "' (known: " + programs.keySet() + ").");
            }
        }
        if (devices.silentAfter() != null
                && (devices.silentAfter().compareTo(Duration.ofMinutes(15)) < 0 || devices.silentAfter().compareTo(Duration.ofDays(30)) > 0)) {
            out.add("devices.silentAfter: " + devices.silentAfter() + " must be between 15 minutes and 30 days.");
        }
        if (devices.batteryBelowPercent() != null && !(devices.batteryBelowPercent() > 0 && devices.batteryBelowPercent() < 100)) {
            out.add("devices.batteryBelowPercent: " + devices.batteryBelowPercent() + " must be between 0 and 100.");
        }
        Duration previous = null;
        for (int i = 0; i < escalation.size(); i++) {
            EscalationStep step = escalation.get(i);
            String at = "escalation[" + i + "]";
            if (!contacts.containsKey(step.role())) {
                out.add(at + ".role: no contacts are configured for role '" + step.role() + "' (known: " + contacts.keySet() + ").");
            }
            if (step.after().isNegative() || step.after().compareTo(Duration.ofDays(2)) > 0) {
                out.add(at + ".after: " + step.after() + " must be between 0 and 2 days.");
            } else if (previous != null && step.after().compareTo(previous) <= 0) {
                out.add(at + ".after: " + step.after() + " must be later than the step before (" + previous + ").");
            }
            previous = step.after();
        }
        contacts.forEach((role, c) -> {
            String at = "contacts." + role;
            if (!role.matches("[a-z0-9][a-z0-9-]{0,62}")) {
                out.add(at + ": a role must be 1–63 characters of a-z, 0-9 and '-'.");
            }
            for (int i = 0; i < c.email().size(); i++) {
                if (!c.email().get(i).matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+")) {
                    out.add(at + ".email[" + i + "]: '" + c.email().get(i) + "' is not an e-mail address.");
                }
            }
            for (int i = 0; i < c.webhook().size(); i++) {
                String problem = webhookProblem(c.webhook().get(i));
                if (problem != null) {
                    out.add(at + ".webhook[" + i + "]: " + problem);
                }
            }
        });
        for (int i = 0; i < warningsNotify.size(); i++) {
            if (!contacts.containsKey(warningsNotify.get(i))) {
                out.add("warningsNotify[" + i + "]: no contacts are configured for role '" + warningsNotify.get(i) + "'.");
            }
        }
        if (lateAfter.compareTo(Duration.ofMinutes(5)) < 0 || lateAfter.compareTo(Duration.ofDays(7)) > 0) {
            out.add("lateAfter: " + lateAfter + " must be between 5 minutes and 7 days.");
        }
        return out;
    }

    private static String webhookProblem(String url) {
        try {
            URI u = new URI(url);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
                return "'" + url + "' must be an http(s) URL with a host.";
            }
            return null;
        } catch (Exception e) {
            return "'" + url + "' is not a URL (" + e.getMessage() + ").";
        }
    }

    /** The rules that apply to one patient under this configuration. */
    public PatientRules rulesFor(PatientSettings settings) {
        return PatientRules.of(this, settings);
    }
}
