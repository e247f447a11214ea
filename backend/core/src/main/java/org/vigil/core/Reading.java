package org.vigil.core;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The canonical reading: the one internal contract between the edge and everything downstream; it maps 1:1 to
 * a FHIR vital-signs Observation. A single-value reading has one measurement whose code equals {@link #code};
 * a panel (blood pressure 85354-9) has one measurement per component.
 *
 * @param device     the identifier the device reported (serial, IMEI or MAC)
 * @param effective  when the reading was taken, in UTC, after correcting a drifting device clock
 * @param deviceTime the time as the device's clock stated it (equal to {@code effective} when no correction was
 *                   needed, or {@code received} when the device sent no time)
 * @param flags      what the device said about the measurement beyond its value, as {@code key:value} text
 *                   (e.g. {@code irregular-pulse}, {@code statistic:maximum}, {@code sample:capillary-whole-blood})
 * @param rawRef     where the raw payload can be found again (e.g. {@code READINGS:1234}, the stream sequence)
 * @param contentHash {@link ContentHash} of the reading's identity; equal readings have equal hashes
 */
public record Reading(
        TenantId tenant,
        UUID patient,
        String device,
        String code,
        List<Measurement> measurements,
        Instant effective,
        Instant received,
        Instant deviceTime,
        List<String> flags,
        String sourceFormat,
        String rawRef,
        String contentHash) {

    public Reading {
        measurements = List.copyOf(measurements);
        flags = List.copyOf(flags);
    }

    public boolean isPanel() {
        return measurements.size() != 1 || !measurements.get(0).code().equals(code);
    }
}
