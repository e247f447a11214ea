package org.vigil.ehr.internal;

import java.util.List;

/**
 * Sends items to one endpoint. A send gets items in order (a patient's items in their order); it returns one
 * outcome per item, in the same order, and never throws: what went wrong is in the outcomes. After an item of a
 * patient fails, the patient's later items in the send are SKIPPED, so nothing overtakes it.
 */
interface Transport extends AutoCloseable {

    /** Items per send (a transaction bundle's size, an MLLP window). */
    int itemsPerSend();

    /** How many consecutive items of one patient a send may carry. */
    int perPatient();

    List<Outcome> send(List<Outbox.Claimed> items);

    @Override
    void close();
}
