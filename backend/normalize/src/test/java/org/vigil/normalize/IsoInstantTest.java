package org.vigil.normalize;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class IsoInstantTest {
    @ParameterizedTest
    @ValueSource(strings = {"2026-11-21T07:30:00Z", "2026-11-21T07:30:00.250Z", "2024-02-29T23:59:59.999999999Z",
            "1970-01-01T00:00:00.1Z", "2026-11-21T07:30:00+01:00", "2026-01-05T00:00:00.000Z",
            "2026-11-21T24:00:00Z", "2026-11-21T07:30:00.Z"})
    void agreesWithTheJdk(String text) {
        assertEquals(Instant.parse(text), IsoInstant.parse(text));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-13-01T00:00:00Z", "2026-02-30T00:00:00Z", "yesterday",
            "2026-11-21 07:30:00Z", "2026-11-21T07:30:00.1234567890Z"})
    void rejectsWhatTheJdkRejects(String text) {
        assertThrows(DateTimeParseException.class, () -> IsoInstant.parse(text));
    }
}
