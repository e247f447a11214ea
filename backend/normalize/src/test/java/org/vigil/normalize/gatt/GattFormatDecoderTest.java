package org.vigil.normalize.gatt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;
import org.vigil.normalize.Problem;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Format {@code gatt}: the hub's JSON around a notification, through {@link Decoders} as ingest runs it. */
class GattFormatDecoderTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-21T08:00:00Z");
    private static final TenantId ACME = new TenantId("acme");

    private final Decoders decoders = new Decoders(
            List.of(new GattFormatDecoder(GattCorpus.JSON, new GattObservations())),
            new Normalizer(NormalizeSettings.defaults()));

    private Normalized decode(String subjectDevice, String json) {
        return decoders.decode(new Payload(ACME, "gatt", subjectDevice, json.getBytes(StandardCharsets.UTF_8), RECEIVED));
    }

    @Test
    void aNotificationBecomesReadings() {
        Normalized n = decode("AA_BB_CC_DD_EE_FF", """
                {"device":"AA:BB:CC:DD:EE:FF","characteristic":"2A35","hex":"1E8A0058007800000004111429 3B 3C 00 01 27 00",
                 "time":"2026-11-21T07:30:00Z","utcOffset":"+01:00"}""");
        assertEquals(List.of(), n.problems());
        assertEquals(2, n.readings().size());
        NormalizedReading bp = n.readings().get(0);
        assertEquals("AA:BB:CC:DD:EE:FF", bp.device());
        assertEquals("85354-9", bp.code());
        assertEquals(List.of(new Measurement("8480-6", 138, "mm[Hg]", 138.0, "mmHg"),
                new Measurement("8462-4", 88, "mm[Hg]", 88.0, "mmHg"),
                new Measurement("8478-0", 120, "mm[Hg]", 120.0, "mmHg")), bp.measurements());
        // the cuff does not know the year: the hub's time stands in
        assertEquals(Instant.parse("2026-11-21T07:30:00Z"), bp.effective());
        assertEquals(List.of("device-time:unknown", "user:1", "body-movement", "cuff-too-loose", "irregular-pulse",
                "improper-position"), bp.flags());
        assertEquals("8867-4", n.readings().get(1).code());
    }

    @Test
    void theDeviceClockIsReadInItsOffset() {
        Normalized n = decode("", """
                {"device":"AA:BB:CC:DD:EE:FF","characteristic":"0x2A1C","hex":"06B00E00FEEA070B15071E0509",
                 "time":"2026-11-21T07:59:00Z","utcOffset":"+01:00"}""");
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals(Instant.parse("2026-11-21T06:30:05Z"), r.effective());
        assertEquals(37.6, r.measurements().get(0).value());
        assertEquals(List.of("temperature-type:tympanum"), r.flags());
    }

    @Test
    void withoutTimeOrDeviceTheReceiveTimeAndSubjectStandIn() {
        Normalized n = decode("AA_BB_CC_DD_EE_FF", """
                {"characteristic":"2A37","hex":"0055"}""");
        NormalizedReading r = n.readings().get(0);
        assertEquals("AA_BB_CC_DD_EE_FF", r.device());
        assertEquals(RECEIVED, r.effective());
        assertEquals(List.of("time:received"), r.flags());
    }

    @ParameterizedTest
    @ValueSource(strings = {"2A37", "2a37", "0x2A37", "0x2a37", " 2A37 ", "00002a37-0000-1000-8000-00805f9b34fb",
            "00002A37-0000-1000-8000-00805F9B34FB"})
    void theCharacteristicIsNamedAnyOfTheUsualWays(String characteristic) {
        Normalized n = decode("", "{\"device\":\"D1\",\"characteristic\":\"" + characteristic + "\",\"hex\":\"0048\"}");
        assertEquals(List.of(), n.problems());
        assertEquals(72.0, n.readings().get(0).measurements().get(0).value());
    }

    /** Each bad input gets its stable code, a location, and a sentence naming what is wrong. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated JSON       | {"device":"D1","characteristic":                                   | MALFORMED_JSON    |             | not JSON
            not an object        | [1,2,3]                                                            | MALFORMED_JSON    |             | JSON object
            JSON null            | null                                                               | MALFORMED_JSON    |             | JSON object
            hex is a number      | {"device":"D1","characteristic":"2A37","hex":55}                   | MALFORMED_JSON    | /hex        | must be a string
            no hex               | {"device":"D1","characteristic":"2A37"}                            | INVALID_READING   | /hex        | 'hex' is missing
            no characteristic    | {"device":"D1","hex":"0055"}                                       | INVALID_READING   | /characteristic | 'characteristic' is missing
            no device anywhere   | {"characteristic":"2A37","hex":"0055"}                             | INVALID_READING   | /device     | MAC
            odd hex              | {"device":"D1","characteristic":"2A37","hex":"005"}                | MALFORMED_PAYLOAD | /hex        | odd number of hex digits (3)
            not hex              | {"device":"D1","characteristic":"2A37","hex":"00GG"}               | MALFORMED_PAYLOAD | /hex        | not hex digits
            bad time             | {"device":"D1","characteristic":"2A37","hex":"0055","time":"noon"} | INVALID_READING   | /time       | ISO-8601
            bad offset           | {"device":"D1","characteristic":"2A37","hex":"0055","utcOffset":"CET"} | INVALID_READING | /utcOffset | UTC offset
            battery level        | {"device":"D1","characteristic":"2A19","hex":"55"}                 | UNSUPPORTED_CODE  |             | 0x2A19 is not one Vigil decodes
            a service UUID       | {"device":"D1","characteristic":"0000180d-0000-1000-8000-00805f9b34fb","hex":"55"} | UNSUPPORTED_CODE | | 0x180D
            a vendor UUID        | {"device":"D1","characteristic":"6e400003-b5a3-f393-e0a9-e50e24dcca9e","hex":"55"} | UNSUPPORTED_CODE | | not a Bluetooth GATT characteristic UUID
            empty value          | {"device":"D1","characteristic":"2A37","hex":""}                   | MALFORMED_PAYLOAD | byte 0      | needs Flags (1 byte) at byte 0
            truncated value      | {"device":"D1","characteristic":"2A37","hex":"17 01 01"}           | MALFORMED_PAYLOAD | byte 3      | RR-Interval (2 bytes) at byte 3
            too long             | {"device":"D1","characteristic":"2A37","hex":"00 55 01"}           | MALFORMED_PAYLOAD | byte 2      | 1 byte more than its flags 0x00 call for, from byte 2
            NaN temperature      | {"device":"D1","characteristic":"2A1C","hex":"00 FF FF 7F 00"}     | NOT_A_NUMBER      | byte 1      | special value NaN (0x007FFFFF
            impossible heart rate | {"device":"D1","characteristic":"2A37","hex":"00 05"}             | IMPLAUSIBLE_VALUE | byte 1      | physiologically impossible
            """)
    void badInputIsRejectedWithAReason(String name, String json, ErrorCode code, String location, String mentions) {
        Normalized n = decode("", json.strip());
        assertTrue(n.isRejected(), name);
        Problem p = n.problems().get(0);
        assertEquals(code, p.code(), p.reason());
        assertEquals(location, p.location(), p.reason());
        assertTrue(p.reason().contains(mentions), p.reason());
    }

    @Test
    void theFormatIsGatt() {
        assertEquals("gatt", new GattFormatDecoder(GattCorpus.JSON, new GattObservations()).format());
        assertEquals(List.of("gatt"), List.copyOf(decoders.formats()));
    }
}
