package org.vigil.edge.mllp;

/** MSA-1 in original acknowledgement mode. */
public enum AckCode {
    /** Application accept: the message is durably on the readings stream. */
    AA,
    /** Application error: something in the message must be fixed (or, with ERR-3 207, try again later). */
    AE,
    /** Application reject: a message type or version this receiver never takes; resending will not help. */
    AR
}
