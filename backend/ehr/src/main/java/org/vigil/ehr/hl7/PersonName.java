package org.vigil.ehr.hl7;

import io.micronaut.core.annotation.Nullable;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A display name split into the XPN parts a receiver matches on. Only a guess from one string: "Doe, Jane Q." and
 * "Jane Q. Doe" both give family Doe, given Jane, middle Q.; lower-case particles stay with the family name
 * ("Ludwig van Beethoven": van Beethoven), a generational suffix goes to XPN.4. Receivers match patients on PID-3,
 * not on the name.
 */
record PersonName(String family, @Nullable String given, @Nullable String middle, @Nullable String suffix) {

    private static final Set<String> SUFFIXES = Set.of("jr", "jr.", "sr", "sr.", "ii", "iii", "iv");

    static PersonName of(String displayName) {
        String name = displayName.strip().replaceAll("\\s+", " ");
        int comma = name.indexOf(',');
        if (comma >= 0) {
            List<String> rest = words(name.substring(comma + 1));
            return new PersonName(name.substring(0, comma).strip(), rest.isEmpty() ? null : rest.get(0),
                    join(rest.subList(Math.min(1, rest.size()), rest.size())), null);
        }
        List<String> words = words(name);
        String suffix = null;
        if (words.size() > 2 && SUFFIXES.contains(words.get(words.size() - 1).toLowerCase(Locale.ROOT))) {
            suffix = words.get(words.size() - 1);
            words = words.subList(0, words.size() - 1);
        }
        if (words.size() < 2) {
            return new PersonName(name, null, null, null);
        }
        int family = words.size() - 1;
        for (int i = 1; i < words.size() - 1; i++) {
            if (Character.isLowerCase(words.get(i).charAt(0))) {
                family = i;
                break;
            }
        }
        return new PersonName(String.join(" ", words.subList(family, words.size())), words.get(0),
                join(words.subList(1, family)), suffix);
    }

    private static List<String> words(String s) {
        return s.isBlank() ? List.of() : Arrays.asList(s.strip().split(" "));
    }

    @Nullable
    private static String join(List<String> words) {
        return words.isEmpty() ? null : String.join(" ", words);
    }
}
