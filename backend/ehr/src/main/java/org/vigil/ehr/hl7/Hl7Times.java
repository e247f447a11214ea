package org.vigil.ehr.hl7;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** HL7 DTM values: instants in UTC with an explicit offset, so no receiver has to guess our zone. */
final class Hl7Times {
    private static final DateTimeFormatter DTM = DateTimeFormatter.ofPattern("yyyyMMddHHmmssZ").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATE = DateTimeFormatter.BASIC_ISO_DATE;

    private Hl7Times() {
    }

    /** {@code yyyyMMddHHmmss+0000}; a fraction of a second is dropped. */
    static String dtm(Instant at) {
        return DTM.format(at);
    }

    /** A birth date is a date: no time, no zone. */
    static String date(LocalDate date) {
        return DATE.format(date);
    }
}
