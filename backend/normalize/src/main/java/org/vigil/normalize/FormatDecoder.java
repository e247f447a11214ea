package org.vigil.normalize;

/**
 * Reads one wire format into observations in the device's own terms (its units, its clock). Units, ranges, time
 * rules and identity are applied afterwards, the same way for every format, by {@link Normalizer}.
 * <p>
 * A decoder is a pure function of the payload: the same bytes always decode the same way, so a message can be
 * decoded at the edge (to answer an HL7 sender) and again by the ingest consumer, and replayed later.
 */
public interface FormatDecoder {

    /** The format token in the ingest subject, e.g. {@code gatt}. */
    String format();

    /**
     * @throws PayloadRejected when nothing in the payload is usable; a payload with some usable and some unusable
     *                         parts returns both in the {@link Decoding}
     */
    Decoding decode(Payload payload) throws PayloadRejected;
}
