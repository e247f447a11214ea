package org.vigil.core;

import java.util.List;

/**
 * Durable storage for accepted readings. {@link #write} returns only once the whole batch is committed; it is
 * idempotent per {@link Reading#contentHash()}, because after a crash the same batch can arrive again.
 */
public interface ReadingSink {
    /**
     * @param mayBeStored some of these readings may already be stored (a redelivery, or a retry after a failure
     *                    midway), so the sink must not write them twice
     */
    void write(List<Reading> batch, boolean mayBeStored) throws Exception;
}
