package org.vigil.alerting.config;

import java.util.List;
import java.util.stream.Collectors;

/** A configuration document that cannot be applied; nothing of it was. */
public class ConfigRejected extends RuntimeException {
    private final List<ConfigProblem> problems;

    public ConfigRejected(List<ConfigProblem> problems) {
        super(problems.size() + " problem(s): " + problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ConfigProblem> problems() {
        return problems;
    }
}
