package org.vigil.alerting.config;

import io.micronaut.core.annotation.Nullable;

import java.time.Duration;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads from a parsed document that collect problems instead of stopping at the first, so an administrator
 * sees everything wrong with a file at once, each with its line. Shared by every configuration document a tenant
 * keeps as a file (alert rules, EHR endpoints).
 */
public final class Fields {
    private static final Pattern SHORT_DURATION = Pattern.compile("(?:(\\d+)d)?\\s*(?:(\\d+)h)?\\s*(?:(\\d+)m(?:in)?)?\\s*(?:(\\d+)s)?");
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final Map<String, ConfigNode> byPath = new HashMap<>();

    public Fields(ConfigNode root) {
        index(root);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    public void problem(ConfigNode at, String message) {
        problems.add(new ConfigProblem(at.path().isEmpty() ? "(document)" : at.path(), at.line(), at.column(), message));
    }

    /**
     * Domain validation speaks in {@code field: message} sentences; this puts each on the line of the deepest
     * node its field names.
     */
    public void domain(List<String> messages, ConfigNode fallback) {
        for (String m : messages) {
            int colon = m.indexOf(": ");
            String field = colon < 0 ? "" : m.substring(0, colon);
            String text = colon < 0 ? m : m.substring(colon + 2);
            ConfigNode node = null;
            for (String p = field; node == null && !p.isEmpty(); p = parent(p)) {
                node = byPath.get(p);
            }
            node = node == null ? fallback : node;
            problems.add(new ConfigProblem(field.isEmpty() ? "(document)" : field, node.line(), node.column(), text));
        }
    }

    public ConfigNode.Obj object(ConfigNode n, String... known) {
        if (!(n instanceof ConfigNode.Obj o)) {
            problem(n, "must be an object, not " + n.kind() + ".");
            return new ConfigNode.Obj(n.path(), n.line(), n.column(), Map.of());
        }
        Set<String> allowed = Set.of(known);
        for (Map.Entry<String, ConfigNode> f : o.fields().entrySet()) {
            if (!allowed.contains(f.getKey())) {
                problem(f.getValue(), "unknown field '" + f.getKey() + "' (known here: " + String.join(", ", known) + ").");
            }
        }
        return o;
    }

    /** An object whose keys are names (programs, roles), in document order. */
    public Map<String, ConfigNode> named(ConfigNode.Obj o, String name) {
        ConfigNode n = o.fields().get(name);
        if (n == null) {
            return Map.of();
        }
        if (!(n instanceof ConfigNode.Obj m)) {
            problem(n, "must be an object of named entries, not " + n.kind() + ".");
            return Map.of();
        }
        return new LinkedHashMap<>(m.fields());
    }

    public List<ConfigNode> list(ConfigNode.Obj o, String name) {
        ConfigNode n = o.fields().get(name);
        if (n == null || n instanceof ConfigNode.Scalar s && s.value() == null) {
            return List.of();
        }
        if (!(n instanceof ConfigNode.Arr a)) {
            problem(n, "must be a list, not " + n.kind() + ".");
            return List.of();
        }
        return a.items();
    }

    @Nullable
    public String text(ConfigNode.Obj o, String name, boolean required) {
        ConfigNode n = o.fields().get(name);
        if (n == null || n instanceof ConfigNode.Scalar s && s.value() == null) {
            if (required) {
                problem(o, "'" + name + "' is required.");
            }
            return null;
        }
        return text(n);
    }

    @Nullable
    public String text(ConfigNode n) {
        if (n instanceof ConfigNode.Scalar s && s.value() instanceof String v) {
            return v;
        }
        problem(n, "must be text, not " + n.kind() + ".");
        return null;
    }

    public List<String> texts(ConfigNode.Obj o, String name) {
        List<String> out = new ArrayList<>();
        for (ConfigNode n : list(o, name)) {
            String v = text(n);
            if (v != null) {
                out.add(v);
            }
        }
        return out;
    }

    @Nullable
    public Double number(ConfigNode.Obj o, String name) {
        ConfigNode n = o.fields().get(name);
        if (n == null || n instanceof ConfigNode.Scalar s && s.value() == null) {
            return null;
        }
        if (n instanceof ConfigNode.Scalar s && s.value() instanceof Number v) {
            return v.doubleValue();
        }
        problem(n, "must be a number, not " + n.kind() + ".");
        return null;
    }

    public int integer(ConfigNode.Obj o, String name, int otherwise) {
        Double v = number(o, name);
        if (v == null) {
            return otherwise;
        }
        if (v != Math.rint(v) || Math.abs(v) > Integer.MAX_VALUE) {
            problem(o.fields().get(name), "must be a whole number, not " + v + ".");
            return otherwise;
        }
        return v.intValue();
    }

    public boolean bool(ConfigNode.Obj o, String name, boolean otherwise) {
        ConfigNode n = o.fields().get(name);
        if (n == null) {
            return otherwise;
        }
        if (n instanceof ConfigNode.Scalar s && s.value() instanceof Boolean v) {
            return v;
        }
        problem(n, "must be true or false, not " + n.kind() + ".");
        return otherwise;
    }

    /**
     * An IANA time zone ("America/Chicago", "UTC"), kept as a region so that it is shown by name ("UTC", not "Z").
     * Fixed offsets ("+02:00") are refused: a clinic's day follows its daylight-saving changes.
     */
    public ZoneId zone(ConfigNode.Obj o, String name, ZoneId otherwise) {
        ConfigNode n = o.fields().get(name);
        if (n == null || n instanceof ConfigNode.Scalar s && s.value() == null) {
            return otherwise;
        }
        String v = text(n);
        if (v == null) {
            return otherwise;
        }
        String id = v.strip();
        if (id.equals("UTC") || id.contains("/") && ZoneId.getAvailableZoneIds().contains(id)) {
            return ZoneId.of(id);
        }
        problem(n, "'" + v + "' is not a time zone; write its IANA name, e.g. America/Chicago, Europe/Berlin or UTC.");
        return otherwise;
    }

    /** "48h", "15m", "1d12h", "30s" or ISO-8601 ("PT48H", "P7D"). */
    @Nullable
    public Duration duration(ConfigNode.Obj o, String name, @Nullable Duration otherwise) {
        ConfigNode n = o.fields().get(name);
        if (n == null || n instanceof ConfigNode.Scalar s && s.value() == null) {
            return otherwise;
        }
        if (n instanceof ConfigNode.Scalar s && s.value() instanceof Number v && v.doubleValue() == 0) {
            return Duration.ZERO;
        }
        String v = text(n);
        if (v == null) {
            return otherwise;
        }
        Duration d = parseDuration(v);
        if (d == null) {
            problem(n, "'" + v + "' is not a duration; write e.g. 30s, 15m, 48h, 7d, 1d12h or ISO-8601 (PT48H).");
            return otherwise;
        }
        return d;
    }

    @Nullable
    public static Duration parseDuration(String v) {
        String s = v.strip();
        if (s.startsWith("P") || s.startsWith("p") || s.startsWith("-P")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        Matcher m = SHORT_DURATION.matcher(s);
        if (s.isEmpty() || !m.matches()) {
            return null;
        }
        Duration d = Duration.ZERO;
        long[] unitsSeconds = {86_400, 3_600, 60, 1};
        for (int i = 0; i < 4; i++) {
            if (m.group(i + 1) != null) {
                d = d.plusSeconds(Long.parseLong(m.group(i + 1)) * unitsSeconds[i]);
            }
        }
        return d;
    }

    private void index(ConfigNode n) {
        byPath.put(n.path(), n);
        if (n instanceof ConfigNode.Obj o) {
            o.fields().values().forEach(this::index);
        } else if (n instanceof ConfigNode.Arr a) {
            a.items().forEach(this::index);
        }
    }

    private static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut <= 0 ? "" : path.substring(0, cut);
    }
}
