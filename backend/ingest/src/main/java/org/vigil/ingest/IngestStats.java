package org.vigil.ingest;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** Counters since start, for health checks, the run command and the benchmark. */
@Serdeable
public record IngestStats(long received, long stored, long deadLettered, long redelivered, long failedFlushes,
                          Instant lastCommit) {
}
