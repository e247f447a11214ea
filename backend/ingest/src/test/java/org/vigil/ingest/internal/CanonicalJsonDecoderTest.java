package org.vigil.ingest.internal;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.core.ContentHash;
import org.vigil.core.DeadLetter;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.ingest.IngestSettings;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CanonicalJsonDecoderTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-21T08:00:00Z");
    private static final String SUBJECT = "vigil.acme.ingest.canonical.SN-1";

    private final CanonicalJsonDecoder decoder = new CanonicalJsonDecoder(JsonMapper.createDefault(),
            new IngestSettings("nats://unused", "READINGS", Duration.ofDays(7), Duration.ofMinutes(10), "w", 100,
                    Duration.ofMillis(100), 100, 1000, Duration.ofSeconds(30), Duration.ofMinutes(10)));

    private Decoded decode(String subject, String json) {
        return decoder.decode(subject, json.getBytes(StandardCharsets.UTF_8), RECEIVED, 42);
    }

    @Test
    void aPanelDecodesWithTheSameHashThePublisherComputes() {
        Decoded d = decode(SUBJECT, """
                {"device":"SN-1","code":"85354-9","effective":"2026-11-21T07:30:00.250Z",
                 "components":[{"code":"8480-6","value":128,"unit":"mm[Hg]"},{"code":"8462-4","value":82.0,"unit":"mm[Hg]"}]}""");
        Decoded.Unresolved u = assertInstanceOf(Decoded.Unresolved.class, d);
        assertEquals(Instant.parse("2026-11-21T07:30:00.250Z"), u.effective());
        assertEquals(RECEIVED, u.envelope().received());
        assertEquals(ContentHash.of(new TenantId("acme"), "SN-1", "85354-9", u.effective(),
                List.of(new Measurement("8462-4", 82, "mm[Hg]"), new Measurement("8480-6", 128, "mm[Hg]"))), u.contentHash());
    }

    /** Each bad input gets its stable code and a sentence naming what is wrong. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated JSON        | vigil.acme.ingest.canonical.SN-1 | {"device":"SN-1","code":                                                                    | MALFORMED_JSON    | canonical JSON
            not an object         | vigil.acme.ingest.canonical.SN-1 | [1,2,3]                                                                                     | MALFORMED_JSON    | canonical JSON
            JSON null             | vigil.acme.ingest.canonical.SN-1 | null                                                                                        | MALFORMED_JSON    | null
            bad tenant token      | vigil.ACME!.ingest.canonical.SN-1 | {}                                                                                         | INVALID_SUBJECT   | tenant
            unknown format        | vigil.acme.ingest.gatt.SN-1      | {}                                                                                          | UNSUPPORTED_FORMAT | gatt
            missing device        | vigil.acme.ingest.canonical.SN-1 | {"code":"29463-7","value":80,"unit":"kg","effective":"2026-11-21T07:30:00Z"}              | INVALID_READING   | 'device'
            unknown LOINC         | vigil.acme.ingest.canonical.SN-1 | {"device":"SN-1","code":"1234-5","value":80,"unit":"kg","effective":"2026-11-21T07:30:00Z"} | INVALID_READING   | 1234-5
            wrong unit            | vigil.acme.ingest.canonical.SN-1 | {"device":"SN-1","code":"29463-7","value":180,"unit":"[lb_av]","effective":"2026-11-21T07:30:00Z"} | INVALID_READING | 'kg'
            impossible glucose    | vigil.acme.ingest.canonical.SN-1 | {"device":"SN-1","code":"2339-0","value":30000,"unit":"mg/dL","effective":"2026-11-21T07:30:00Z"} | INVALID_READING | physiologically impossible
            panel without parts   | vigil.acme.ingest.canonical.SN-1 | {"device":"SN-1","code":"85354-9","value":120,"unit":"mm[Hg]","effective":"2026-11-21T07:30:00Z"} | INVALID_READING | components
            panel missing diastolic | vigil.acme.ingest.canonical.SN-1 | {"device":"SN-1","code":"85354-9","effective":"2026-11-21T07:30:00Z","components":[{"code":"8480-6","value":120,"unit":"mm[Hg]"}]} | INVALID_READING | 8462-4
            bad time              | vigil.acme.ingest.canonical.SN-1 | {"device":"SN-1","code":"29463-7","value":80,"unit":"kg","effective":"21/11/2026"}          | INVALID_READING   | ISO-8601
            far future            | vigil.acme.ingest.canonical.SN-1 | {"device":"SN-1","code":"29463-7","value":80,"unit":"kg","effective":"2026-11-22T08:00:00Z"} | INVALID_READING  | device clock
            """)
    void badInputIsRejectedWithAReason(String name, String subject, String json, ErrorCode code, String mentions) {
        DeadLetter letter = assertInstanceOf(Decoded.Rejected.class, decode(subject, json.strip())).deadLetter();
        assertEquals(code, letter.code(), letter.reason());
        assertTrue(letter.reason().contains(mentions), letter.reason());
        assertEquals(json.strip(), new String(letter.payload(), StandardCharsets.UTF_8), "raw bytes are kept");
        assertEquals(subject, letter.subject());
        assertEquals(42, letter.streamSeq());
    }
}
