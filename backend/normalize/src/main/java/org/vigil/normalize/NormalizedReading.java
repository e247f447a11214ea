package org.vigil.normalize;

import org.vigil.core.Measurement;

import java.time.Instant;
import java.util.List;

/**
 * A validated reading in canonical terms (LOINC, UCUM, UTC), still to be resolved to a patient.
 *
 * @param clockCorrected the effective time was shifted for device clock drift; the same reading arriving again may
 *                       get a slightly different effective time, so the store must check its content hash
 */
public record NormalizedReading(String device, String code, List<Measurement> measurements, Instant effective,
                                Instant deviceTime, List<String> flags, String contentHash, boolean clockCorrected) {
}
