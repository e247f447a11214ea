package org.vigil.alerting.config;

import io.micronaut.serde.annotation.Serdeable;

/** One thing wrong with a configuration document: the field, where it is, and what to do about it. */
@Serdeable
public record ConfigProblem(String field, int line, int column, String message) {
    @Override
    public String toString() {
        return "line " + line + ", " + field + ": " + message;
    }
}
