package org.vigil.telemetry;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * The readings of one bucket of a {@link Series}.
 *
 * @param start the bucket's start; buckets are aligned to the Unix epoch in UTC, so daily buckets start at midnight UTC
 * @param count how many values fell in it
 */
@Serdeable
public record SeriesPoint(Instant start, double min, double max, double mean, int count) {
}
