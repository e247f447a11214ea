package org.vigil.ingest.internal;

import io.nats.client.Message;

import java.util.ArrayList;
import java.util.List;

/** Messages fetched together, with what the decoder made of each; acknowledged together once stored. */
final class Batch {
    final List<Message> messages;
    final List<Decoded> decoded;
    final long openedNanos;
    /** Some readings may already be in the store: a message was redelivered, or an earlier attempt failed midway. */
    boolean mayBeStored;

    Batch(int capacity, long openedNanos) {
        this.messages = new ArrayList<>(capacity);
        this.decoded = new ArrayList<>(capacity);
        this.openedNanos = openedNanos;
    }

    void add(Message m, Decoded d, boolean redelivery) {
        messages.add(m);
        decoded.add(d);
        mayBeStored |= redelivery || d.mayBeStored();
    }

    int size() {
        return messages.size();
    }
}
