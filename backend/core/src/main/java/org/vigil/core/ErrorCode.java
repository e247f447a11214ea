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
    UNASSIGNED_DEVICE
}
