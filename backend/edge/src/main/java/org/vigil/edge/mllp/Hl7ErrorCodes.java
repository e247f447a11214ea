package org.vigil.edge.mllp;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;

/** Vigil's error codes as HL7 v2 error codes (table 0357), for ERR-3. */
final class Hl7ErrorCodes {
    static final int SEGMENT_SEQUENCE_ERROR = 100;
    static final int REQUIRED_FIELD_MISSING = 101;
    static final int DATA_TYPE_ERROR = 102;
    static final int TABLE_VALUE_NOT_FOUND = 103;
    static final int UNSUPPORTED_MESSAGE_TYPE = 200;
    static final int UNSUPPORTED_EVENT_CODE = 201;
    static final int UNSUPPORTED_VERSION_ID = 203;
    static final int UNKNOWN_KEY_IDENTIFIER = 204;

    private Hl7ErrorCodes() {
    }

    static int of(ErrorCode code, @Nullable String location) {
        String where = location == null ? "" : location;
        return switch (code) {
            case UNSUPPORTED_MESSAGE -> where.startsWith("MSH-12") ? UNSUPPORTED_VERSION_ID
                    : where.startsWith("MSH-9.2") ? UNSUPPORTED_EVENT_CODE : UNSUPPORTED_MESSAGE_TYPE;
            case MALFORMED_PAYLOAD, MALFORMED_JSON -> where.matches("[A-Z0-9]{3}-.*") ? REQUIRED_FIELD_MISSING : SEGMENT_SEQUENCE_ERROR;
            case INVALID_READING, SCHEMA_VIOLATION -> REQUIRED_FIELD_MISSING;
            case UNSUPPORTED_CODE, UNSUPPORTED_UNIT, UNSUPPORTED_FORMAT -> TABLE_VALUE_NOT_FOUND;
            case NOT_A_NUMBER, IMPLAUSIBLE_VALUE, CLOCK_ERROR -> DATA_TYPE_ERROR;
            case UNKNOWN_DEVICE, UNASSIGNED_DEVICE, INVALID_SUBJECT -> UNKNOWN_KEY_IDENTIFIER;
            // codes added later: a value the sender must fix, until someone maps them better
            default -> DATA_TYPE_ERROR;
        };
    }
}
