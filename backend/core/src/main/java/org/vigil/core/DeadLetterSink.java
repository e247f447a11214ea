package org.vigil.core;

import java.util.List;

/** Durable storage for dead letters; idempotent per (tenant, stream sequence). */
public interface DeadLetterSink {
    void write(List<DeadLetter> deadLetters) throws Exception;
}
