package org.vigil.simulator;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/** {@code <command> --name value --name=value ...}: every option takes a value; nothing is positional. */
record CliArgs(String command, Map<String, String> options) {

    static CliArgs parse(String[] args) throws UsageException {
        if (args.length == 0) {
            throw new UsageException("no command given");
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2) {
                throw new UsageException("unexpected argument '" + a + "': options look like --name value");
            }
            String name;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                name = a.substring(2);
                if (i + 1 >= args.length) {
                    throw new UsageException("option --" + name + " needs a value");
                }
                value = args[++i];
            }
            if (options.put(name, value) != null) {
                throw new UsageException("option --" + name + " given twice");
            }
        }
        return new CliArgs(args[0], Map.copyOf(options));
    }

    void allowOnly(Set<String> allowed) throws UsageException {
        Set<String> unknown = new TreeSet<>(options.keySet());
        unknown.removeAll(allowed);
        if (!unknown.isEmpty()) {
            throw new UsageException("unknown option" + (unknown.size() > 1 ? "s" : "") + " for '" + command + "': --"
                    + String.join(", --", unknown));
        }
    }

    Optional<String> optional(String name) {
        return Optional.ofNullable(options.get(name));
    }

    String required(String name) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            throw new UsageException("'" + command + "' needs --" + name);
        }
        return v;
    }

    String string(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    long longValue(String name, long fallback, long min, long max) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            long n = Long.parseLong(v.replace("_", ""));
            if (n < min || n > max) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", was " + v);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a whole number, was '" + v + "'");
        }
    }

    double doubleValue(String name, double fallback, double min, double max) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (!(d >= min && d <= max)) {
                throw new UsageException("--" + name + " must be between " + min + " and " + max + ", was " + v);
            }
            return d;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + name + " must be a number, was '" + v + "'");
        }
    }

    Optional<Duration> duration(String name) throws UsageException {
        String v = options.get(name);
        if (v == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(Durations.parse(v));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--" + name + ": " + e.getMessage());
        }
    }
}
