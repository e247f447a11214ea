package org.vigil.normalize.omh;

import com.networknt.schema.AbsoluteIri;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;
import org.vigil.normalize.PayloadRejected;
import org.vigil.normalize.Problem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The wire format beyond the upstream corpus: arrays, units, time frames, device identity, refusals. */
class OmhDecoderTest {
    private static final OmhDecoder DECODER = new OmhDecoder(new OmhSchemas());
    private static final Decoders DECODERS = new Decoders(List.of(DECODER), new Normalizer(NormalizeSettings.defaults()));

    private static Normalized decode(String json) {
        return decode(json, OmhCorpus.SUBJECT_DEVICE);
    }

    private static Normalized decode(String json, String subjectDevice) {
        return DECODERS.decode(new Payload(OmhCorpus.TENANT, OmhDecoder.FORMAT, subjectDevice,
                json.getBytes(StandardCharsets.UTF_8), OmhCorpus.RECEIVED));
    }

    /** A data point with a standard header; {@code schema} is name:version in the omh namespace. */
    private static String point(String schema, String body) {
        return point(schema, body, "");
    }

    private static String point(String schema, String body, String provenanceExtra) {
        String[] s = schema.split(":");
        return """
                {"header":{"id":"dp-1","creation_date_time":"%s",
                  "schema_id":{"namespace":"omh","name":"%s","version":"%s"},
                  "acquisition_provenance":{"source_name":"Acme Health app","modality":"self-reported"%s}},
                 "body":%s}""".formatted(OmhCorpus.CREATED, s[0], s[1], provenanceExtra, body);
    }

    private static final String BP = """
            {"systolic_blood_pressure":{"value":128,"unit":"mmHg"},"diastolic_blood_pressure":{"value":82,"unit":"mmHg"},
             "effective_time_frame":{"date_time":"2025-05-31T07:30:00+02:00"},"body_posture":"sitting",
             "measurement_location":"left upper arm","descriptive_statistic":"average"}""";

    @Test
    void aBloodPressureBecomesAPanelWithItsQualifiersAsFlags() {
        Normalized n = decode(point("blood-pressure:3.1", BP));
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals("85354-9", r.code());
        assertEquals(OmhCorpus.SUBJECT_DEVICE, r.device());
        assertEquals(Instant.parse("2025-05-31T05:30:00Z"), r.effective());
        assertEquals(List.of(new Measurement("8480-6", 128, "mm[Hg]", 128.0, "mmHg"),
                new Measurement("8462-4", 82, "mm[Hg]", 82.0, "mmHg")), r.measurements());
        assertEquals(List.of("statistic:average", "position:sitting", "measurement-location:left upper arm",
                "modality:self-reported"), r.flags());
    }

    @Test
    void anArrayYieldsEveryGoodDataPointAndAProblemPerBadOneWithItsPointer() {
        String good = point("blood-pressure:3.1", BP);
        String badUnit = point("blood-pressure:3.1",
                BP.replace("\"value\":128,\"unit\":\"mmHg\"", "\"value\":128,\"unit\":\"mmH\""));
        String unknownVersion = point("blood-pressure:9.9", BP);
        String implausible = point("heart-rate:2.0", """
                {"heart_rate":{"value":900,"unit":"beats/min"},"effective_time_frame":{"date_time":"2025-05-31T08:00:00Z"}}""");
        Normalized n = decode("[" + String.join(",", good, badUnit, "\"not a data point\"", unknownVersion, good,
                "[" + good + "]", implausible) + "]");

        assertEquals(2, n.readings().size());
        List<Problem> p = n.problems();
        assertEquals(5, p.size(), p.toString());
        assertEquals(ErrorCode.SCHEMA_VIOLATION, p.get(0).code());
        assertEquals("/1/body/systolic_blood_pressure/unit", p.get(0).location());
        assertTrue(p.get(0).reason().startsWith(
                "Data point 2 of 7 (id 'dp-1'): The body does not conform to omh:blood-pressure:3.1:"), p.get(0).reason());
        assertEquals(ErrorCode.SCHEMA_VIOLATION, p.get(1).code());
        assertEquals("/2", p.get(1).location());
        assertEquals(ErrorCode.UNSUPPORTED_CODE, p.get(2).code());
        assertEquals("/3/header/schema_id/version", p.get(2).location());
        assertTrue(p.get(2).reason().contains("1.0, 2.0, 3.0, 3.1, 4.0"), p.get(2).reason());
        assertEquals(ErrorCode.SCHEMA_VIOLATION, p.get(3).code(), "an array is not flattened");
        assertEquals("/5", p.get(3).location());
        // range checks come after decoding, so they know the reading but not where it was in the array
        assertEquals(ErrorCode.IMPLAUSIBLE_VALUE, p.get(4).code());
    }

    @Test
    void anArrayOfOnlyBadDataPointsIsRejectedWithEveryReason() {
        Normalized n = decode("[{}, 42]");
        assertTrue(n.isRejected());
        assertEquals(List.of("/0", "/1"), n.problems().stream().map(Problem::location).toList());
    }

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
            "body-weight:3.0, body_weight, 154, lb, 29463-7, 69.853225, kg",
            "body-weight:3.0, body_weight, 70500, g, 29463-7, 70.5, kg",
            "body-temperature:4.0, body_temperature, 98.6, F, 8310-5, 37.0, Cel",
            "body-temperature:3.0, body_temperature, 310.15, K, 8310-5, 37.0, Cel",
            "body-temperature:4.0, body_temperature, 36.8, C, 8310-5, 36.8, Cel",
            "blood-glucose:4.0, blood_glucose, 5.5, mmol/L, 2339-0, 99.0858, mg/dL",
            "heart-rate:2.0, heart_rate, 61, beats/min, 8867-4, 61, /min",
            "oxygen-saturation:2.0, oxygen_saturation, 97, %, 59408-5, 97, %"})
    void unitsAreConvertedByTheNormalizerAndTheSendersValueKept(String schema, String field, double value, String unit,
                                                               String code, double canonical, String canonicalUnit) {
        String body = """
                {"%s":{"value":%s,"unit":"%s"},"effective_time_frame":{"date_time":"2025-05-31T07:30:00Z"}}"""
                .formatted(field, value, unit);
        Normalized n = decode(point(schema, body));
        assertEquals(List.of(), n.problems());
        Measurement m = n.readings().get(0).measurements().get(0);
        assertEquals(code, m.code());
        assertEquals(canonical, m.value(), 1e-6);
        assertEquals(canonicalUnit, m.unit());
        assertEquals(value, m.reportedValue());
        assertEquals(unit, m.reportedUnit());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "{\"start_date_time\":\"2025-05-31T06:00:00Z\",\"end_date_time\":\"2025-05-31T07:00:00Z\"} | 2025-05-31T07:00:00Z | 2025-05-31T06:00:00Z",
            "{\"start_date_time\":\"2025-05-31T06:00:00Z\",\"duration\":{\"value\":90,\"unit\":\"min\"}} | 2025-05-31T07:30:00Z | 2025-05-31T06:00:00Z",
            "{\"end_date_time\":\"2025-05-31T07:00:00Z\",\"duration\":{\"value\":1.5,\"unit\":\"h\"}} | 2025-05-31T07:00:00Z | 2025-05-31T05:30:00Z",
            "{\"start_date_time\":\"2025-05-30T07:00:00-05:00\",\"duration\":{\"value\":1,\"unit\":\"d\"}} | 2025-05-31T12:00:00Z | 2025-05-30T12:00:00Z"})
    void anIntervalIsFiledUnderItsEndAndKeepsItsStart(String interval, String end, String start) {
        String body = """
                {"step_count":{"value":4200,"unit":"steps"},"effective_time_frame":{"time_interval":%s}}""".formatted(interval);
        Normalized n = decode(point("step-count:3.0", body));
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals(Instant.parse(end), r.effective());
        assertEquals(Instant.parse(end), r.deviceTime());
        assertTrue(r.flags().contains("interval-start:" + start), r.flags().toString());
    }

    @Test
    void withoutATimeFrameTheHeadersCreationTimeIsUsedAndSaid() {
        Normalized n = decode(point("body-weight:1.0", "{\"body_weight\":{\"value\":72.4,\"unit\":\"kg\"}}"));
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals(Instant.parse(OmhCorpus.CREATED), r.effective());
        assertTrue(r.flags().contains("time:creation-date-time"), r.flags().toString());
    }

    @Test
    void aDateWithAPartOfDayHasNoInstantSoTheCreationTimeIsUsedAndTheDateKept() {
        Normalized n = decode(point("blood-pressure:1.0", """
                {"systolic_blood_pressure":{"value":120,"unit":"mmHg"},"diastolic_blood_pressure":{"value":80,"unit":"mmHg"},
                 "effective_time_frame":{"time_interval":{"date":"2025-05-30","part_of_day":"evening"}}}"""));
        NormalizedReading r = n.readings().get(0);
        assertEquals(Instant.parse(OmhCorpus.CREATED), r.effective());
        assertEquals(List.of("time:creation-date-time", "date:2025-05-30", "part-of-day:evening", "modality:self-reported"),
                r.flags());
    }

    @Test
    void bareStepCountsOfTheOlderSchemasAreSteps() {
        Normalized n = decode(point("step-count:2.0", """
                {"step_count":8123,"effective_time_frame":{"time_interval":{"start_date_time":"2025-05-30T00:00:00Z",
                 "end_date_time":"2025-05-31T00:00:00Z"}},"descriptive_statistic":"sum"}"""));
        assertEquals(List.of(new Measurement("55423-8", 8123, "{steps}")), n.readings().get(0).measurements());
    }

    @Test
    void theHeadersDeviceIdIsUsedOnlyWhenTheSubjectNamesNone() {
        String withId = point("heart-rate:2.0", """
                {"heart_rate":{"value":61,"unit":"beats/min"},"effective_time_frame":{"date_time":"2025-05-31T08:00:00Z"}}""",
                ",\"device_id\":\"HR-STRAP-9\"");
        NormalizedReading fromSubject = decode(withId).readings().get(0);
        assertEquals(OmhCorpus.SUBJECT_DEVICE, fromSubject.device());
        assertTrue(fromSubject.flags().contains("reported-device:HR-STRAP-9"), fromSubject.flags().toString());

        NormalizedReading fromHeader = decode(withId, "").readings().get(0);
        assertEquals("HR-STRAP-9", fromHeader.device());

        Normalized none = decode(withId.replace(",\"device_id\":\"HR-STRAP-9\"", ""), "");
        assertTrue(none.isRejected());
        assertEquals(ErrorCode.INVALID_READING, none.problems().get(0).code());
        assertEquals("/header/acquisition_provenance", none.problems().get(0).location());
    }

    @ParameterizedTest(name = "{1}: {0}")
    @CsvSource(delimiter = '|', value = {
            "{\"header\":{\"id\":\"x\"                     | MALFORMED_JSON   |",
            "''                                          | MALFORMED_JSON   |",
            "'   '                                       | MALFORMED_JSON   |",
            "[]                                          | MALFORMED_JSON   |",
            "\"hello\"                                   | MALFORMED_JSON   |",
            "{\"header\":{},\"header\":{},\"body\":{}}   | MALFORMED_JSON   |",
            "{\"header\":{},\"body\":{}} trailing        | MALFORMED_JSON   |",
            "{\"body\":{}}                               | SCHEMA_VIOLATION |"})
    void aPayloadThatIsNoDataPointSaysWhy(String json, ErrorCode code, String location) {
        assertRefused(decode(json), code, location);
    }

    @ParameterizedTest(name = "{0}:{1}:{2} -> {5}")
    @CsvSource(delimiter = '|', value = {
            "omh  | heart-rate     | 2.0 | today                | {}                   | SCHEMA_VIOLATION | /header/creation_date_time",
            "omh  | sleep-duration | 2.0 | 2025-05-31T00:00:00Z | {}                   | UNSUPPORTED_CODE | /header/schema_id",
            "acme | heart-rate     | 2.0 | 2025-05-31T00:00:00Z | {}                   | UNSUPPORTED_CODE | /header/schema_id",
            "omh  | heart-rate     | 2   | 2025-05-31T00:00:00Z | {}                   | UNSUPPORTED_CODE | /header/schema_id/version",
            "omh  | heart-rate     | 2.0 | 2025-05-31T00:00:00Z | []                   | SCHEMA_VIOLATION | /body",
            "omh  | heart-rate     | 2.0 | 2025-05-31T00:00:00Z | {\"heart_rate\":\"61\"} | SCHEMA_VIOLATION | /body/heart_rate"})
    void aRefusedDataPointSaysWhyAndWhere(String namespace, String name, String version, String created, String body,
                                          ErrorCode code, String location) {
        String json = """
                {"header":{"id":"x","creation_date_time":"%s",
                  "schema_id":{"namespace":"%s","name":"%s","version":"%s"}},"body":%s}"""
                .formatted(created, namespace, name, version, body);
        assertRefused(decode(json), code, location);
    }

    private static void assertRefused(Normalized n, ErrorCode code, String location) {
        assertTrue(n.isRejected(), n.toString());
        Problem p = n.problems().get(0);
        assertEquals(code, p.code(), p.reason());
        assertEquals(location, p.location(), p.reason());
        assertTrue(p.reason().endsWith("."), p.reason());
    }

    @Test
    void aReadingFromTheFutureIsRefusedByTheNormalizer() {
        Normalized n = decode(point("heart-rate:2.0", """
                {"heart_rate":{"value":61,"unit":"beats/min"},"effective_time_frame":{"date_time":"2025-06-01T13:00:00Z"}}"""));
        assertEquals(ErrorCode.CLOCK_ERROR, n.problems().get(0).code());
    }

    @Test
    void theSameBytesAlwaysDecodeTheSameWay() throws PayloadRejected {
        byte[] bytes = ("[" + point("blood-pressure:4.0", BP) + "," + point("blood-pressure:4.0", "{}") + "]")
                .getBytes(StandardCharsets.UTF_8);
        Payload payload = new Payload(OmhCorpus.TENANT, OmhDecoder.FORMAT, "phone-7", bytes, OmhCorpus.RECEIVED);
        Decoding first = DECODER.decode(payload);
        assertEquals(1, first.observations().size());
        assertEquals(1, first.problems().size());
        assertEquals(first, DECODER.decode(payload));
    }

    /** One decoder serves every consumer thread: the schemas are compiled once and only read afterwards. */
    @Test
    void decodingFromManyThreadsGivesWhatOneThreadGives() {
        List<byte[]> inputs = OmhCorpus.files("omh").stream().map(f -> {
            Path rel = OmhCorpus.root().resolve("test-data/omh").relativize(f);
            return OmhCorpus.bytes(OmhCorpus.dataPoint("omh", rel.getName(0).toString(), rel.getName(1).toString(),
                    OmhCorpus.read(f)));
        }).toList();
        List<Normalized> sequential = inputs.stream().map(b -> OmhCorpus.decode(DECODERS, b)).toList();
        for (int round = 0; round < 5; round++) {
            assertEquals(sequential, inputs.parallelStream().map(b -> OmhCorpus.decode(DECODERS, b)).toList());
        }
    }

    @Test
    void schemasOutsideTheBundleAreNeverFetched() {
        OmhSchemaLoader loader = new OmhSchemaLoader(OmhSchemaLoader.class.getClassLoader());
        for (String uri : List.of("https://example.org/schemas/x.json",
                OmhSchemaLoader.IEEE_BASE + "length-unit-value-1.0.json", OmhSchemaLoader.OMH_BASE + "../omh/x.json")) {
            assertThrows(IOException.class, () -> loader.getSchema(AbsoluteIri.of(uri)).getInputStream(), uri);
        }
    }
}
