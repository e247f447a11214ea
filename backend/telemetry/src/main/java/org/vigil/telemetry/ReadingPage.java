package org.vigil.telemetry;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** A page of readings in effective-time order; {@code next} is the cursor for the following page, or null. */
@Serdeable
public record ReadingPage(List<StoredReading> items, @Nullable String next) {
}
