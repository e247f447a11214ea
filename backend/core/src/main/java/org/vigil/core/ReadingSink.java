package org.vigil.core;

import java.util.List;

/**
 * Durable storage for accepted readings. {@link #write} returns only once the whole batch is committed; it is
 * idempotent per {@link Reading#contentHash()}, because after a crash the same batch can arrive again.
 */
public interface ReadingSink {
    void write(List<Reading> batch, boolean mayBeRedelivered) throws Exception;
}
