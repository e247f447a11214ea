package org.vigil.bench;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A benchmark's options: {@code --name value} pairs, each name one the benchmark knows. Numbers may use '_' between
 * digits ({@code --count 1_000_000}); other values (paths) are taken as written.
 */
final class BenchArgs {
    private final Map<String, String> values;

    private BenchArgs(Map<String, String> values) {
        this.values = values;
    }

    /** @throws IllegalArgumentException for an unknown option or one without a value */
    static BenchArgs parse(List<String> args, String bench, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.size(); i += 2) {
            String option = args.get(i);
            if (!known.contains(option)) {
                throw new IllegalArgumentException("unknown option " + option + " for " + bench);
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            values.put(option, args.get(i + 1));
        }
        return new BenchArgs(values);
    }

    int integer(String option, int fallback) {
        return number(option, fallback, Integer::parseInt);
    }

    long longValue(String option, long fallback) {
        return number(option, fallback, Long::parseLong);
    }

    double decimal(String option, double fallback) {
        return number(option, fallback, Double::parseDouble);
    }

    String text(String option, String fallback) {
        return values.getOrDefault(option, fallback);
    }

    /** null when not given */
    Path path(String option) {
        String v = values.get(option);
        return v == null ? null : Path.of(v);
    }

    private <T> T number(String option, T fallback, Function<String, T> parse) {
        String v = values.get(option);
        return v == null ? fallback : parse.apply(v.replace("_", ""));   // NumberFormatException is an IllegalArgumentException
    }
}
