package org.vigil.ingest;

/** What the ingest pipeline has done so far and how much is waiting. */
public interface IngestMonitor {
    IngestStats stats();

    /** Messages in the stream not yet stored (pending + unacknowledged), or -1 when NATS cannot tell. */
    long pending();

    /** Whether the connection to NATS is up (it reconnects by itself when it is not). */
    boolean connected();
}
