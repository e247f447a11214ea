package org.vigil.alerting.config;

import io.micronaut.core.annotation.Nullable;
import org.vigil.alerting.AlertConfig;
import org.vigil.alerting.CombinedRule;
import org.vigil.alerting.PatientSettings;
import org.vigil.alerting.Program;
import org.vigil.alerting.SuppressionPolicy;
import org.vigil.alerting.Thresholds;
import org.vigil.alerting.WindowRule;
import org.vigil.core.VitalSign;
import org.vigil.normalize.Units;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a tenant's alerting configuration (or a patient's settings) from JSON or YAML. Values may be given in any
 * unit the edge understands ({@code [lb_av]}, {@code [degF]}, {@code mmol/L}); they are converted to the code's
 * canonical UCUM unit, the one readings arrive in. Every problem is reported with its field and line; a document
 * with any problem is refused whole.
 */
public final class AlertConfigReader {
    private AlertConfigReader() {
    }

    /** The configuration a tenant starts with (documented in {@code default-alert-config.yaml}). */
    public static AlertConfig defaults() {
        return read(defaultDocument());
    }

    /** The default configuration as its commented YAML, which is what a tenant without its own is shown. */
    public static String defaultDocument() {
        try (InputStream in = AlertConfigReader.class.getResourceAsStream("/org/vigil/alerting/default-alert-config.yaml")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("the default alert configuration is part of the jar", e);
        }
    }

    public static AlertConfig read(String document) {
        ConfigNode root = ConfigParser.parse(document);
        Fields f = new Fields(root);
        ConfigNode.Obj o = f.object(root, "programs", "defaultPrograms", "devices", "escalation", "contacts",
                "warningsNotify", "lateAfter", "snoozeCoversCritical", "timeZone");
        Map<String, Program> programs = new LinkedHashMap<>();
        f.named(o, "programs").forEach((name, n) -> programs.put(name, program(f, name, n)));
        AlertConfig.DeviceWatch devices = AlertConfig.DeviceWatch.NONE;
        if (o.fields().containsKey("devices")) {
            ConfigNode.Obj d = f.object(o.fields().get("devices"), "silentAfter", "batteryBelowPercent");
            devices = new AlertConfig.DeviceWatch(f.duration(d, "silentAfter", null), f.number(d, "batteryBelowPercent"));
        }
        List<AlertConfig.EscalationStep> ladder = new ArrayList<>();
        for (ConfigNode n : f.list(o, "escalation")) {
            ConfigNode.Obj s = f.object(n, "role", "after");
            String role = f.text(s, "role", true);
            Duration after = f.duration(s, "after", null);
            if (after == null && !s.fields().containsKey("after")) {
                f.problem(s, "'after' is required (0m for the first page).");
            }
            if (role != null && after != null) {
                ladder.add(new AlertConfig.EscalationStep(role, after));
            }
        }
        Map<String, AlertConfig.Contacts> contacts = new LinkedHashMap<>();
        f.named(o, "contacts").forEach((role, n) -> {
            ConfigNode.Obj c = f.object(n, "email", "webhook");
            contacts.put(role, new AlertConfig.Contacts(f.texts(c, "email"), f.texts(c, "webhook")));
        });
        AlertConfig config = new AlertConfig(programs, f.texts(o, "defaultPrograms"), devices, ladder, contacts,
                f.texts(o, "warningsNotify"), f.duration(o, "lateAfter", Duration.ofHours(6)),
                f.bool(o, "snoozeCoversCritical", false), f.zone(o, "timeZone", ZoneId.of("UTC")));
        if (f.problems().isEmpty()) {
            f.domain(config.problems(), root);
        }
        if (!f.problems().isEmpty()) {
            throw new ConfigRejected(f.problems());
        }
        return config;
    }

    /**
     * A patient's settings, checked against the tenant's configuration (programs must exist); with a null
     * configuration (reading back what was stored under an older one) unknown programs are kept and ignored later.
     */
    public static PatientSettings readPatient(String document, @Nullable AlertConfig config) {
        ConfigNode root = ConfigParser.parse(document);
        Fields f = new Fields(root);
        ConfigNode.Obj o = f.object(root, "programs", "thresholds", "snoozedUntil");
        List<String> programs = f.texts(o, "programs");
        List<ConfigNode> programNodes = f.list(o, "programs");
        for (int i = 0; i < programs.size() && i < programNodes.size(); i++) {
            if (config != null && !config.programs().containsKey(programs.get(i))) {
                f.problem(programNodes.get(i), "no program is called '" + programs.get(i) + "' (known: " + config.programs().keySet() + ").");
            }
        }
        List<Thresholds> overrides = new ArrayList<>();
        List<ConfigNode> items = f.list(o, "thresholds");
        for (ConfigNode n : items) {
            Thresholds t = thresholds(f, n);
            if (t != null) {
                overrides.add(t);
            }
        }
        Instant snoozedUntil = null;
        String snooze = f.text(o, "snoozedUntil", false);
        if (snooze != null) {
            try {
                snoozedUntil = Instant.parse(snooze);
            } catch (DateTimeParseException e) {
                f.problem(o.fields().get("snoozedUntil"), "'" + snooze + "' is not a UTC time such as 2026-11-21T18:00:00Z.");
            }
        }
        f.domain(Thresholds.problems(overrides, "", "this patient"), root);
        if (!f.problems().isEmpty()) {
            throw new ConfigRejected(f.problems());
        }
        return new PatientSettings(programs, overrides, snoozedUntil);
    }

    private static Program program(Fields f, String name, ConfigNode n) {
        ConfigNode.Obj o = f.object(n, "thresholds", "trends", "combined", "noDataAfter", "suppression");
        List<Thresholds> thresholds = new ArrayList<>();
        for (ConfigNode t : f.list(o, "thresholds")) {
            Thresholds th = thresholds(f, t);
            if (th != null) {
                thresholds.add(th);
            }
        }
        List<WindowRule> trends = new ArrayList<>();
        for (ConfigNode t : f.list(o, "trends")) {
            WindowRule w = trend(f, t);
            if (w != null) {
                trends.add(w);
            }
        }
        List<CombinedRule> combined = new ArrayList<>();
        for (ConfigNode c : f.list(o, "combined")) {
            CombinedRule r = combined(f, c);
            if (r != null) {
                combined.add(r);
            }
        }
        SuppressionPolicy suppression = DEFAULT_SUPPRESSION;
        if (o.fields().containsKey("suppression")) {
            ConfigNode.Obj s = f.object(o.fields().get("suppression"), "persistReadings", "persistFor", "hysteresisPercent",
                    "resolveAfter", "cooldown");
            Double hysteresis = f.number(s, "hysteresisPercent");
            suppression = new SuppressionPolicy(f.integer(s, "persistReadings", DEFAULT_SUPPRESSION.persistReadings()),
                    f.duration(s, "persistFor", DEFAULT_SUPPRESSION.persistFor()),
                    hysteresis == null ? DEFAULT_SUPPRESSION.hysteresisPercent() : hysteresis,
                    f.duration(s, "resolveAfter", DEFAULT_SUPPRESSION.resolveAfter()),
                    f.duration(s, "cooldown", DEFAULT_SUPPRESSION.cooldown()));
        }
        return new Program(name, thresholds, trends, combined, f.duration(o, "noDataAfter", null), suppression);
    }

    /** Unless a program says otherwise: open at once, 2 % hysteresis, resolve after 1 h back in range, 4 h cooldown. */
    static final SuppressionPolicy DEFAULT_SUPPRESSION =
            new SuppressionPolicy(1, Duration.ZERO, 2, Duration.ofHours(1), Duration.ofHours(4));

    @Nullable
    private static Thresholds thresholds(Fields f, ConfigNode n) {
        ConfigNode.Obj o = f.object(n, "code", "unit", "criticalLow", "low", "high", "criticalHigh");
        Unit u = unit(f, o);
        if (u == null) {
            return null;
        }
        return new Thresholds(u.sign.code(), u.sign.unit(), u.value(f.number(o, "criticalLow")), u.value(f.number(o, "low")),
                u.value(f.number(o, "high")), u.value(f.number(o, "criticalHigh")));
    }

    @Nullable
    private static WindowRule trend(Fields f, ConfigNode n) {
        ConfigNode.Obj peek = n instanceof ConfigNode.Obj x ? x : null;
        String kind = peek == null ? null : f.text(peek, "kind", true);
        if (peek == null || kind == null) {
            f.object(n, "kind");
            return null;
        }
        if (kind.equals("rise")) {
            ConfigNode.Obj o = f.object(n, "kind", "code", "unit", "by", "within", "critical");
            Unit u = unit(f, o);
            Double by = f.number(o, "by");
            Duration within = f.duration(o, "within", null);
            if (by == null) {
                f.problem(o, "'by' is required: the rise that is too much, e.g. 2 with unit [lb_av].");
            }
            if (within == null) {
                f.problem(o, "'within' is required, e.g. 1d or 7d.");
            }
            return u == null || by == null || within == null ? null
                    : new WindowRule.RiseWithin(u.sign.code(), u.difference(by), within, f.bool(o, "critical", false));
        }
        if (kind.equals("mean")) {
            ConfigNode.Obj o = f.object(n, "kind", "code", "unit", "last", "within", "criticalLow", "low", "high", "criticalHigh");
            Unit u = unit(f, o);
            if (u == null) {
                return null;
            }
            Thresholds t = new Thresholds(u.sign.code(), u.sign.unit(), u.value(f.number(o, "criticalLow")),
                    u.value(f.number(o, "low")), u.value(f.number(o, "high")), u.value(f.number(o, "criticalHigh")));
            return new WindowRule.MeanOfLast(t, f.integer(o, "last", 0), f.duration(o, "within", null));
        }
        f.problem(peek.fields().get("kind"), "'" + kind + "' is not a trend kind (rise, mean).");
        return null;
    }

    @Nullable
    private static CombinedRule combined(Fields f, ConfigNode n) {
        ConfigNode.Obj o = f.object(n, "name", "all", "within", "critical");
        List<CombinedRule.Condition> all = new ArrayList<>();
        for (ConfigNode c : f.list(o, "all")) {
            ConfigNode.Obj co = f.object(c, "code", "unit", "above", "below");
            Unit u = unit(f, co);
            if (u != null) {
                all.add(new CombinedRule.Condition(u.sign.code(), u.value(f.number(co, "above")), u.value(f.number(co, "below"))));
            }
        }
        Duration within = f.duration(o, "within", null);
        if (within == null) {
            f.problem(o, "'within' is required: how close in time the values must be, e.g. 15m.");
            return null;
        }
        return new CombinedRule(f.text(o, "name", true), all, within, f.bool(o, "critical", false));
    }

    /** The code of an entry and the unit its numbers are written in. */
    private record Unit(VitalSign sign, String unit) {
        @Nullable
        Double value(@Nullable Double v) {
            return v == null ? null : Units.toCanonical(sign, v, unit).orElseThrow();
        }

        /** A difference converts without the offset (2 °F of rise is not 2 °F of temperature). */
        double difference(double d) {
            return Units.toCanonical(sign, d, unit).orElseThrow() - Units.toCanonical(sign, 0, unit).orElseThrow();
        }
    }

    @Nullable
    private static Unit unit(Fields f, ConfigNode.Obj o) {
        String code = f.text(o, "code", true);
        if (code == null) {
            return null;
        }
        VitalSign sign = VitalSign.byCode(code).orElse(null);
        if (sign == null || sign.isPanel()) {
            f.problem(o.fields().get("code"), sign == null ? "'" + code + "' is not a LOINC code Vigil knows."
                    : code + " is a panel; give its components " + sign.components() + " separately.");
            return null;
        }
        String unit = f.text(o, "unit", false);
        if (unit == null) {
            return new Unit(sign, sign.unit());
        }
        if (Units.toCanonical(sign, 0, unit).isEmpty()) {
            f.problem(o.fields().get("unit"), "'" + unit + "' is not a unit for " + sign.display().toLowerCase()
                    + " (its unit is '" + sign.unit() + "').");
            return null;
        }
        return new Unit(sign, unit);
    }
}
