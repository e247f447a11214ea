package org.vigil.sandbox.mllp;

import org.vigil.sandbox.Mode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the receiver got and answered, for tests to assert on. */
public final class MllpLog {

    private final Map<String, Integer> byControlId = new LinkedHashMap<>();
    private final Map<String, String> patients = new LinkedHashMap<>();
    private final List<String> messages = new ArrayList<>();
    private final Map<Mode, Integer> acked = new EnumMap<>(Mode.class);
    private int connections;

    synchronized void connectionAccepted() {
        connections++;
    }

    synchronized void received(String controlId, String message, String pid3) {
        byControlId.merge(controlId, 1, Integer::sum);
        messages.add(message);
        if (pid3 != null) {
            patients.put(controlId, pid3);
        }
    }

    synchronized void ackSent(Mode mode) {
        acked.merge(mode, 1, Integer::sum);
    }

    /** MSH-10 → how many times a message with it arrived (more than 1: a resend). */
    public synchronized Map<String, Integer> messagesByControlId() {
        return new LinkedHashMap<>(byControlId);
    }

    /** MSH-10 → the message's PID-3 as sent (all repetitions, encoded). */
    public synchronized Map<String, String> patientsByControlId() {
        return new LinkedHashMap<>(patients);
    }

    /** Every message received, in arrival order, as ER7 text with \r between segments. */
    public synchronized List<String> messages() {
        return List.copyOf(messages);
    }

    /** ACKs actually sent with this code. */
    public synchronized int acked(Mode mode) {
        return acked.getOrDefault(mode, 0);
    }

    public synchronized int connectionsAccepted() {
        return connections;
    }

    public synchronized void clear() {
        byControlId.clear();
        patients.clear();
        messages.clear();
        acked.clear();
        connections = 0;
    }
}
