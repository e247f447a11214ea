package org.vigil.ingest.internal;

import io.nats.client.Message;

import java.util.ArrayList;
import java.util.List;

/** Messages fetched together, with what the decoder made of each; acknowledged together once stored. */
final class Batch {
    final List<Message> messages;
    final List<Decoded> decoded;
    final List<Long> streamSeqs;
    final long openedNanos;
    boolean redelivered;

    Batch(int capacity, long openedNanos) {
        this.messages = new ArrayList<>(capacity);
        this.decoded = new ArrayList<>(capacity);
        this.streamSeqs = new ArrayList<>(capacity);
        this.openedNanos = openedNanos;
    }

    void add(Message m, Decoded d, long streamSeq, boolean redelivery) {
        messages.add(m);
        decoded.add(d);
        streamSeqs.add(streamSeq);
        redelivered |= redelivery;
    }

    int size() {
        return messages.size();
    }
}
