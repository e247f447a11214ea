package org.vigil.alerting;

import java.time.Instant;

/** One value of one code for one patient, at its effective time, in the code's canonical unit. */
public record Sample(Instant at, double value) {
}
