package org.vigil.normalize.canonical;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.core.ContentHash;
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

class CanonicalJsonDecoderTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-21T08:00:00Z");
    private static final TenantId ACME = new TenantId("acme");

    private final Decoders decoders = new Decoders(List.of(new CanonicalJsonDecoder(JsonMapper.createDefault())),
            new Normalizer(NormalizeSettings.defaults()));

    private Normalized decode(String json) {
        return decoders.decode(new Payload(ACME, "canonical", "SN-1", json.getBytes(StandardCharsets.UTF_8), RECEIVED));
    }

    @Test
    void aPanelDecodesWithTheSameHashThePublisherComputes() {
        Normalized n = decode("""
                {"device":"SN-1","code":"85354-9","effective":"2026-11-21T07:30:00.250Z",
                 "components":[{"code":"8480-6","value":128,"unit":"mm[Hg]"},{"code":"8462-4","value":82.0,"unit":"mm[Hg]"}]}""");
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals(Instant.parse("2026-11-21T07:30:00.250Z"), r.effective());
        assertEquals(ContentHash.of(ACME, "SN-1", "85354-9", r.effective(),
                List.of(new Measurement("8462-4", 82, "mm[Hg]"), new Measurement("8480-6", 128, "mm[Hg]"))), r.contentHash());
    }

    @Test
    void poundsAreConvertedAndKept() {
        Normalized n = decode("""
                {"device":"SN-1","code":"29463-7","value":180,"unit":"[lb_av]","effective":"2026-11-21T07:30:00Z"}""");
        Measurement m = n.readings().get(0).measurements().get(0);
        assertEquals(81.646627, m.value(), 1e-6);
        assertEquals("kg", m.unit());
        assertEquals(180.0, m.originalValue());
        assertEquals("[lb_av]", m.originalUnit());
    }

    /** Each bad input gets its stable code and a sentence naming what is wrong. */
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            truncated JSON        | {"device":"SN-1","code":                                                                    | MALFORMED_JSON    | canonical JSON
            not an object         | [1,2,3]                                                                                     | MALFORMED_JSON    | canonical JSON
            JSON null             | null                                                                                        | MALFORMED_JSON    | null
            missing device        | {"code":"29463-7","value":80,"unit":"kg","effective":"2026-11-21T07:30:00Z"}              | INVALID_READING   | 'device'
            unknown LOINC         | {"device":"SN-1","code":"1234-5","value":80,"unit":"kg","effective":"2026-11-21T07:30:00Z"} | UNSUPPORTED_CODE  | 1234-5
            wrong unit            | {"device":"SN-1","code":"29463-7","value":180,"unit":"mmol/L","effective":"2026-11-21T07:30:00Z"} | UNSUPPORTED_UNIT | 'kg'
            impossible glucose    | {"device":"SN-1","code":"2339-0","value":30000,"unit":"mg/dL","effective":"2026-11-21T07:30:00Z"} | IMPLAUSIBLE_VALUE | physiologically impossible
            panel without parts   | {"device":"SN-1","code":"85354-9","value":120,"unit":"mm[Hg]","effective":"2026-11-21T07:30:00Z"} | INVALID_READING | panel 85354-9
            panel missing diastolic | {"device":"SN-1","code":"85354-9","effective":"2026-11-21T07:30:00Z","components":[{"code":"8480-6","value":120,"unit":"mm[Hg]"}]} | INVALID_READING | 8462-4
            bad time              | {"device":"SN-1","code":"29463-7","value":80,"unit":"kg","effective":"21/11/2026"}          | INVALID_READING   | ISO-8601
            far future            | {"device":"SN-1","code":"29463-7","value":80,"unit":"kg","effective":"2026-11-22T08:00:00Z"} | CLOCK_ERROR      | device clock
            clock never set       | {"device":"SN-1","code":"29463-7","value":80,"unit":"kg","effective":"1970-01-01T00:00:12Z"} | CLOCK_ERROR      | never set
            """)
    void badInputIsRejectedWithAReason(String name, String json, ErrorCode code, String mentions) {
        Normalized n = decode(json.strip());
        assertTrue(n.isRejected(), name);
        Problem p = n.problems().get(0);
        assertEquals(code, p.code(), p.reason());
        assertTrue(p.reason().contains(mentions), p.reason());
    }
}
