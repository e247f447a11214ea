package org.vigil.alerting.internal;

import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

import java.time.Clock;

/** The clock deadlines are measured with; tests replace it to drive escalations and no-data without waiting. */
@Factory
class Clocks {
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }
}
