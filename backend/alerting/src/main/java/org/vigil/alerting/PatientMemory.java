package org.vigil.alerting;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the rules remember about one patient between readings: recent values per code (trends), the latest value
 * per code (combined rules), the suppression state per key, when the patient last sent anything (no-data) and when
 * each of their devices was last heard from (device watch).
 * Owned by one thread, the evaluator's; it is persisted with the stream sequence it reflects.
 */
public final class PatientMemory {
    private final Map<String, RecentSamples> windows;
    private final Map<String, Sample> latest;
    private final Map<String, Suppressor.State> states;
    private final Map<UUID, DeviceHeard> devices;
    private @Nullable Instant lastReadingAt;
    private boolean statesChanged;

    public PatientMemory() {
        this(new HashMap<>(), new HashMap<>(), new HashMap<>(), Map.of(), null);
    }

    public PatientMemory(Map<String, RecentSamples> windows, Map<String, Sample> latest,
                         Map<String, Suppressor.State> states, Map<UUID, DeviceHeard> devices, @Nullable Instant lastReadingAt) {
        this.windows = new HashMap<>(windows);
        this.latest = new HashMap<>(latest);
        this.states = new HashMap<>(states);
        this.devices = new HashMap<>(devices);
        this.lastReadingAt = lastReadingAt;
    }

    public Map<String, RecentSamples> windows() {
        return Map.copyOf(windows);
    }

    public Map<String, Sample> latest() {
        return Map.copyOf(latest);
    }

    /** Suppression states that are not ARMED, by key ({@code <rule id>/<side>}). */
    public Map<String, Suppressor.State> states() {
        return Map.copyOf(states);
    }

    public Map<UUID, DeviceHeard> devices() {
        return Map.copyOf(devices);
    }

    public boolean hasStates() {
        return !states.isEmpty();
    }

    public Suppressor.State state(String key) {
        return states.getOrDefault(key, Suppressor.State.ARMED);
    }

    /** ARMED is the absence of state: keeping it would grow the memory by every key ever judged. */
    public void state(String key, Suppressor.State s) {
        Suppressor.State before = s.phase() == Suppressor.Phase.ARMED ? states.remove(key) : states.put(key, s);
        statesChanged |= !s.equals(before == null ? Suppressor.State.ARMED : before);
    }

    /** Whether a suppression state changed since the last call: those are what must be written. */
    public boolean takeStatesChanged() {
        boolean changed = statesChanged;
        statesChanged = false;
        return changed;
    }

    @Nullable
    public Instant lastReadingAt() {
        return lastReadingAt;
    }

    Map<String, Sample> latestView() {
        return java.util.Collections.unmodifiableMap(latest);
    }

    RecentSamples window(String code) {
        return windows.getOrDefault(code, RecentSamples.EMPTY);
    }

    @Nullable
    DeviceHeard heardFrom(UUID device) {
        return devices.get(device);
    }

    void heard(UUID device, Instant at, @Nullable Double batteryPercent) {
        devices.merge(device, new DeviceHeard(at, batteryPercent), (old, x) -> old.and(x.at(), x.batteryPercent()));
    }

    /** A device no longer assigned to the patient is no longer theirs to watch. */
    void forget(UUID device) {
        devices.remove(device);
    }

    void remember(String code, Sample s, PatientRules rules) {
        java.time.Duration keepFor = rules.keepFor().get(code);
        if (keepFor != null) {
            windows.put(code, window(code).with(s, keepFor, rules.keepCount().get(code)));
        }
        if (rules.latestCodes().contains(code)) {
            // A late upload must not replace a newer value.
            latest.merge(code, s, (old, now) -> now.at().isBefore(old.at()) ? old : now);
        }
        if (lastReadingAt == null || s.at().isAfter(lastReadingAt)) {
            lastReadingAt = s.at();
        }
    }
}
