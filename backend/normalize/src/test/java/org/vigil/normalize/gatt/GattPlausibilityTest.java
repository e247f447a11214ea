package org.vigil.normalize.gatt;

import org.junit.jupiter.api.Test;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;
import org.vigil.normalize.Problem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Corpus values that decode correctly but cannot be a patient's: the Normalizer, not the decoder, refuses them,
 * after unit conversion. Every other valid corpus value is stored.
 */
class GattPlausibilityTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-21T08:00:00Z");
    private static final Set<String> IMPOSSIBLE = Set.of("nordic-glucose-full", "nordic-bpm-minimal");

    private final Decoders decoders = new Decoders(
            List.of(new GattFormatDecoder(GattCorpus.JSON, new GattObservations())),
            new Normalizer(NormalizeSettings.defaults()));

    private Normalized decode(GattCorpus.Case c) {
        String json = "{\"device\":\"AA:BB:CC:DD:EE:FF\",\"characteristic\":\"" + c.characteristic() + "\",\"hex\":\""
                + c.hex() + "\",\"time\":\"" + RECEIVED + "\"}";
        return decoders.decode(new Payload(new TenantId("acme"), "gatt", "", json.getBytes(StandardCharsets.UTF_8), RECEIVED));
    }

    @Test
    void thirtyKilogramsPerLitreOfGlucoseIsImpossible() {
        Normalized n = decode(GattCorpus.byId("nordic-glucose-full"));
        assertTrue(n.isRejected());
        Problem p = n.problems().get(0);
        assertEquals(ErrorCode.IMPLAUSIBLE_VALUE, p.code(), p.reason());
        assertTrue(p.reason().contains("3000000.0 mg/dL") && p.reason().contains("30.0 kg/L")
                && p.reason().contains("physiologically impossible"), p.reason());
        assertEquals("byte 12", p.location(), "the concentration's place in the value");
    }

    @Test
    void aBloodPressureOf19Over11MillimetresIsImpossible() {
        Normalized n = decode(GattCorpus.byId("nordic-bpm-minimal"));
        assertTrue(n.isRejected());
        Problem p = n.problems().get(0);
        assertEquals(ErrorCode.IMPLAUSIBLE_VALUE, p.code(), p.reason());
        assertTrue(p.reason().contains("Systolic blood pressure 18.9 mm[Hg]")
                && p.reason().contains("Diastolic blood pressure 11.0 mm[Hg]")
                && p.reason().contains("physiologically impossible"), p.reason());
        assertEquals("byte 1", p.location());
    }

    /** The same numbers in kPa are an ordinary blood pressure. */
    @Test
    void theSameNumbersInKilopascalsAreFine() {
        Normalized n = decode(GattCorpus.byId("nordic-bpm-kpa-some"));
        assertEquals(List.of(), n.problems());
        assertEquals(new Measurement("8480-6", 141.761638, "mm[Hg]", 18.9, "kPa"), n.readings().get(0).measurements().get(0));
        assertEquals(List.of("cuff-too-loose", "pulse-rate:below-range"), n.readings().get(0).flags());
    }

    @Test
    void everyOtherValidCaseIsStored() {
        int stored = 0;
        for (GattCorpus.Case c : GattCorpus.cases()) {
            if (!c.valid() || IMPOSSIBLE.contains(c.id())) {
                continue;
            }
            Normalized n = decode(c);
            assertEquals(List.of(), n.problems(), c.id());
            assertTrue(!n.readings().isEmpty(), c.id());
            stored++;
        }
        assertEquals(17, stored);
    }
}
