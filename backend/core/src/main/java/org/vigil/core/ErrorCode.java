package org.vigil.core;

/** Stable codes for inputs we could not use. They are API: never rename one, add new ones. */
public enum ErrorCode {
    /** The subject does not name a valid tenant. */
    INVALID_SUBJECT,
    /** The subject names a format this stage has no decoder for. */
    UNSUPPORTED_FORMAT,
    /** The payload is not valid JSON or does not have the expected shape. */
    MALFORMED_JSON,
    /** JSON was well formed but a field is missing or out of bounds. */
    INVALID_READING,
    /** No device with that identifier is registered for the tenant. */
    UNKNOWN_DEVICE,
    /** The device is registered but was assigned to no patient at the reading's effective time. */
    UNASSIGNED_DEVICE,
    /** A binary or HL7 payload that cannot be parsed at all (wrong length, broken framing, bad hex). */
    MALFORMED_PAYLOAD,
    /** The payload does not conform to its published schema or conformance profile (Open mHealth, IHE PCD-01). */
    SCHEMA_VIOLATION,
    /** A measurement type or code Vigil has no LOINC mapping for (a GATT characteristic, an MDC code, an OMH schema). */
    UNSUPPORTED_CODE,
    /** A unit that cannot be converted to the canonical UCUM unit of the LOINC code. */
    UNSUPPORTED_UNIT,
    /** The device sent a special value instead of a number (IEEE 11073 NaN, NRes, ±INF). */
    NOT_A_NUMBER,
    /** The value is physiologically impossible: a measurement or decoding error, not a clinical finding. */
    IMPLAUSIBLE_VALUE,
    /** The reading's time is unusable: too far in the future, or a device clock that was never set. */
    CLOCK_ERROR,
    /** A message type or version this transport does not accept (HL7 v2 answers AR). */
    UNSUPPORTED_MESSAGE
}
