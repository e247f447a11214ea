package org.vigil.ingest.internal;

import org.junit.jupiter.api.Test;
import org.vigil.core.DeadLetter;
import org.vigil.core.ErrorCode;
import org.vigil.core.TenantId;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Problem;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RejectionsTest {
    private final Decoded message = new Decoded(new Decoded.Envelope("acme", "vigil.acme.ingest.hub.HUB-1", new byte[]{1},
            Instant.parse("2026-11-21T08:00:00Z"), 42), new TenantId("acme"), "hub", new Normalized(List.of(), List.of(), List.of()), false);

    @Test
    void aSingleProblemIsTheDeadLettersSentence() {
        DeadLetter d = Rejections.deadLetter(message, List.of(new Problem(ErrorCode.MALFORMED_JSON, "Not JSON.")), 0);
        assertEquals(ErrorCode.MALFORMED_JSON, d.code());
        assertEquals("Not JSON.", d.reason());
        assertEquals(42, d.streamSeq());
    }

    @Test
    void theSameProblemManyTimesIsSaidOnceWithItsCountAndLocationsAreKept() {
        List<Problem> problems = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            problems.add(new Problem(ErrorCode.UNKNOWN_DEVICE, "No device 'SCALE-9'."));
        }
        problems.add(new Problem(ErrorCode.IMPLAUSIBLE_VALUE, "Weight 900 kg is impossible.", "/measurements/300"));
        DeadLetter d = Rejections.deadLetter(message, problems, 2);
        assertEquals(ErrorCode.UNKNOWN_DEVICE, d.code());
        assertTrue(d.reason().startsWith("301 parts of this message could not be used; 2 readings were stored:"), d.reason());
        assertTrue(d.reason().contains("1) [UNKNOWN_DEVICE] No device 'SCALE-9'. (×300)"), d.reason());
        assertTrue(d.reason().contains("2) [IMPLAUSIBLE_VALUE] Weight 900 kg is impossible. (at /measurements/300)"), d.reason());
    }
}
