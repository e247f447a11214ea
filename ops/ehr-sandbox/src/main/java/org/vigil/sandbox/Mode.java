package org.vigil.sandbox;

/** The acknowledgement code the sandbox's MLLP receiver answers with (HL7 v2 original mode, table 0008). */
public enum Mode {
    /** Application Accept. */
    AA,
    /** Application Error: the sender should correct and resend the message. */
    AE,
    /** Application Reject: the message will never be accepted as it is. */
    AR
}
