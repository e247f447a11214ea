package org.vigil.normalize;

import org.vigil.core.DeviceStatus;

import java.util.List;

/**
 * Everything a decoder got out of one payload: usable observations, the parts it could not use (each with a
 * reason, never dropped silently), and any device status the payload carried.
 */
public record Decoding(List<Observation> observations, List<Problem> problems, List<DeviceStatus> statuses) {

    public Decoding {
        observations = List.copyOf(observations);
        problems = List.copyOf(problems);
        statuses = List.copyOf(statuses);
    }

    public static Decoding of(List<Observation> observations) {
        return new Decoding(observations, List.of(), List.of());
    }

    public static Decoding of(Observation observation) {
        return of(List.of(observation));
    }
}
