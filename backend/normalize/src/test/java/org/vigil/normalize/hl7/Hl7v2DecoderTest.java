package org.vigil.normalize.hl7;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Observation;
import org.vigil.normalize.Payload;
import org.vigil.normalize.PayloadRejected;
import org.vigil.normalize.Problem;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Hand-written PCD-01 messages (and a few corpus ones) through the decoder and the normalizer. */
class Hl7v2DecoderTest {
    private static final String MSH = "MSH|^~\\&|Gateway^ACDE48234567ABCD^EUI-64||||20240301101500+0100||ORU^R01^ORU_R01|CTRL-1|P|2.6"
            + "|||NE|AL|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO";
    private static final String PID = "PID|||789567^^^Imaginary Hospital^PI||Doe^John^Joseph^^^^L^A";
    private static final String OBR = "OBR|1|AB12345^AcmeAHDInc^ACDE48234567ABCD^EUI-64|CD12345^AcmeAHDInc^ACDE48234567ABCD^EUI-64"
            + "|528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||20240301101000+0100";
    private static final String MDS = "OBX|1||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|1|||||||R|||||||0123456789ABCDEF^EUI-64";

    private final Hl7v2Decoder decoder = new Hl7v2Decoder();
    private final Decoders decoders = Hl7Corpus.decoders();

    private static byte[] message(String... segments) {
        return (String.join("\r", segments) + "\r").getBytes(StandardCharsets.ISO_8859_1);
    }

    private Decoding decode(byte[] bytes) throws PayloadRejected {
        return decoder.decode(new Payload(Hl7Corpus.TENANT, Hl7v2Decoder.FORMAT, "gateway", bytes, Hl7Corpus.RECEIVED));
    }

    private Normalized normalize(byte[] bytes) {
        return Hl7Corpus.decode(decoders, bytes);
    }

    private static Map<String, Double> values(NormalizedReading r) {
        return r.measurements().stream().collect(Collectors.toMap(Measurement::code, Measurement::value));
    }

    @Test
    void theIheBloodPressureExampleIsOnePanelFromTheCuffNamedInTheMdsObx() {
        Normalized n = normalize(Hl7Corpus.bytes("pcd01/ipf-valid-pcd01-request_IHE-PCD-TF-J2_BP.hl7"));
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals("0123456789ABCDEF", r.device());
        assertEquals("85354-9", r.code());
        assertEquals(Map.of("8480-6", 120.0, "8462-4", 80.0, "8478-0", 100.0), values(r));
        assertTrue(r.measurements().stream().allMatch(m -> m.unit().equals("mm[Hg]") && m.originalUnit() == null));
        // the compound's OBX-14 20090813095715+0500
        assertEquals(Instant.parse("2009-08-13T04:57:15Z"), r.effective());
    }

    @Test
    void theGenericBloodPressureFamilyMapsToTheSamePanel() {
        Normalized n = normalize(message(MSH, PID, OBR, MDS,
                "OBX|2||150016^MDC_PRESS_BLD^MDC|1.0.1|||||||R|||20240301100500+0100",
                "OBX|3|NM|150017^MDC_PRESS_BLD_SYS^MDC|1.0.1.1|16|265987^MDC_DIM_KILO_PASCAL^MDC|||||R",
                "OBX|4|NM|150018^MDC_PRESS_BLD_DIA^MDC|1.0.1.2|81|mm[Hg]^mm[Hg]^UCUM|||||R",
                "OBX|5|NM|150019^MDC_PRESS_BLD_MEAN^MDC|1.0.1.3|93|266016^MDC_DIM_MMHG^MDC|||||R"));
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals("85354-9", r.code());
        assertEquals(Map.of("8480-6", 120.009852, "8462-4", 81.0, "8478-0", 93.0), values(r));
        Measurement sys = r.measurements().stream().filter(m -> m.code().equals("8480-6")).findFirst().orElseThrow();
        assertEquals("kPa", sys.originalUnit());
        assertEquals(Instant.parse("2024-03-01T09:05:00Z"), r.effective());
    }

    /** Both SpO2 codes seen in the wild, pulse from cuff and oximeter, ECG heart rate, in MDC and UCUM units. */
    @ParameterizedTest
    @CsvSource({
            "150456^MDC_PULS_OXIM_SAT_O2^MDC, 97, 262688^MDC_DIM_PERCENT^MDC, 59408-5, 97, %",
            "150324^MDC_SAT_O2_ART^MDC, 95, %^%^UCUM, 59408-5, 95, %",
            "149530^MDC_PULS_OXIM_PULS_RATE^MDC, 72, 264864^MDC_DIM_BEAT_PER_MIN^MDC, 8867-4, 72, /min",
            "149546^MDC_PULS_RATE_NON_INV^MDC, 64, {beat}/min^{beat}/min^UCUM, 8867-4, 64, /min",
            "147842^MDC_ECG_HEART_RATE^MDC, 60, /min^/min^UCUM, 8867-4, 60, /min",
            "151562^MDC_RESP_RATE^MDC, 16, 264928^MDC_DIM_RESP_PER_MIN^MDC, 9279-1, 16, /min",
            "150364^MDC_TEMP_BODY^MDC, 37.2, 268192^MDC_DIM_DEGC^MDC, 8310-5, 37.2, Cel",
            "150364^MDC_TEMP_BODY^MDC, 98.6, 266560^MDC_DIM_FAHR^MDC, 8310-5, 37, Cel",
            "188736^MDC_MASS_BODY_ACTUAL^MDC, 81.5, 263875^MDC_DIM_KILO_G^MDC, 29463-7, 81.5, kg",
            "188736^MDC_MASS_BODY_ACTUAL^MDC, 180, 263904^MDC_DIM_LB^MDC, 29463-7, 81.646627, kg",
            "188740^MDC_LEN_BODY_ACTUAL^MDC, 70, 263520^MDC_DIM_INCH^MDC, 8302-2, 177.8, cm",
            "150364^MDC_TEMP_BODY^MDC, 37.2, Cel, 8310-5, 37.2, Cel",
    })
    void singleValuesMapWithTheirUnits(String obx3, String value, String obx6, String loinc, double expected, String unit) {
        Normalized n = normalize(message(MSH, PID, OBR, MDS,
                "OBX|2|NM|" + obx3 + "|1.0.0.1|" + value + "|" + obx6 + "|||||R|||20240301100500+0100"));
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals(loinc, r.code());
        assertEquals(expected, r.measurements().get(0).value(), 1e-6);
        assertEquals(unit, r.measurements().get(0).unit());
        assertEquals("0123456789ABCDEF", r.device());
    }

    @Test
    void anUnmappableCodeIsAProblemAtItsObxWhileTheRestIsStillRead() throws PayloadRejected {
        Decoding d = decode(message(MSH, PID, OBR, MDS,
                "OBX|2|NM|149546^MDC_PULS_RATE_NON_INV^MDC|1.0.0.1|64|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
                "OBX|3|NM|148065^MDC_ECG_V_P_C_CNT^MDC|1.0.0.2|0|/min^/min^UCUM|||||R",
                "OBX|4|NM|188452^MDC_TEMP_AXILLA^MDC|1.0.0.3|36.9|268192^MDC_DIM_DEGC^MDC|||||R"));
        assertEquals(1, d.observations().size());
        assertEquals("8867-4", d.observations().get(0).code());
        assertEquals(List.of(
                new Problem(ErrorCode.UNSUPPORTED_CODE, "MDC code 148065 (MDC_ECG_V_P_C_CNT) is not in Vigil's MDC→LOINC table.", "OBX-3(3)"),
                new Problem(ErrorCode.UNSUPPORTED_CODE, "MDC code 188452 (MDC_TEMP_AXILLA) maps to LOINC 8328-7, "
                        + "which is not a vital sign Vigil accepts.", "OBX-3(4)")), d.problems());
    }

    @Test
    void unitsThatCannotBeUsedArePointedAtInObx6() throws PayloadRejected {
        Decoding d = decode(message(MSH, PID, OBR, MDS,
                "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.0.1|97|262688^MDC_DIM_PERCENT^MDC|||||R",
                "OBX|3|NM|149546^MDC_PULS_RATE_NON_INV^MDC|1.0.0.2|64|999999^MDC_DIM_NONSENSE^MDC|||||R",
                "OBX|4|NM|150364^MDC_TEMP_BODY^MDC|1.0.0.3|37|266016^MDC_DIM_MMHG^MDC|||||R",
                "OBX|5|NM|188736^MDC_MASS_BODY_ACTUAL^MDC|1.0.0.4|80||||||R"));
        assertEquals(1, d.observations().size());
        assertEquals(List.of("OBX-6(3)", "OBX-6(4)", "OBX-6(5)"), d.problems().stream().map(Problem::location).toList());
        assertTrue(d.problems().stream().allMatch(p -> p.code() == ErrorCode.UNSUPPORTED_UNIT));
        assertEquals("OBX-6 unit 'mm[Hg]' for 150364 MDC_TEMP_BODY cannot be converted to Body temperature's UCUM unit 'Cel'.",
                d.problems().get(1).reason());
    }

    @Test
    void aValueThatIsNotANumberOrNotNumericIsAProblem() throws PayloadRejected {
        Decoding d = decode(message(MSH, PID, OBR, MDS,
                "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.0.1|97|262688^MDC_DIM_PERCENT^MDC|||||R",
                "OBX|3|NM|149546^MDC_PULS_RATE_NON_INV^MDC|1.0.0.2|sixty|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R",
                "OBX|4|ST|151562^MDC_RESP_RATE^MDC|1.0.0.3|16|264928^MDC_DIM_RESP_PER_MIN^MDC|||||R",
                "OBX|5|SN|150364^MDC_TEMP_BODY^MDC|1.0.0.4|>^42|268192^MDC_DIM_DEGC^MDC|||||R",
                "OBX|6|SN|188736^MDC_MASS_BODY_ACTUAL^MDC|1.0.0.5|^80.5|263875^MDC_DIM_KILO_G^MDC|||||R"));
        assertEquals(List.of("59408-5", "29463-7"), d.observations().stream().map(Observation::code).toList());
        assertEquals(80.5, d.observations().get(1).measurements().get(0).value());
        assertEquals(List.of(new Problem(ErrorCode.NOT_A_NUMBER, "OBX-5 'sixty' for 149546 MDC_PULS_RATE_NON_INV is not a number.", "OBX-5(3)"),
                new Problem(ErrorCode.INVALID_READING, "OBX-2 is 'ST' for 151562 MDC_RESP_RATE (Respiratory rate); "
                        + "Vigil reads numeric values (NM, SN).", "OBX-2(4)"),
                new Problem(ErrorCode.NOT_A_NUMBER, "OBX-5 is the structured numeric '>^42' for 150364 MDC_TEMP_BODY, "
                        + "not an exact value.", "OBX-5(5)")), d.problems());
    }

    @ParameterizedTest(name = "OBX-14 {0}, OBR-7 {1}, MSH-7 {2} -> {3}")
    @CsvSource({
            "20240301100500-0400, 20240301101000+0100, 20240301101500+0100, 2024-03-01T14:05:00Z, ''",
            "20240301100500,      20240301101000+0100, 20240301101500+0100, 2024-03-01T09:05:00Z, ''",
            "'',                  20240301101000+0530, 20240301101500+0100, 2024-03-01T04:40:00Z, ''",
            "'',                  20240301101000,      20240301101500-0800, 2024-03-01T18:10:00Z, ''",
            "20240301100500.25+0000, '',               20240301101500+0100, 2024-03-01T10:05:00.250Z, ''",
            "202403011005,        '',                  20240301101500,      2024-03-01T10:05:00Z, tz:assumed-utc",
    })
    void timesComeFromObx14ThenObr7WithTheirOffsetOrTheSendersOne(String obx14, String obr7, String msh7, Instant expected,
                                                                  String flag) {
        Normalized n = normalize(message(MSH.replace("20240301101500+0100", msh7), PID,
                OBR.replace("20240301101000+0100", obr7), MDS,
                "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.0.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||" + obx14));
        assertEquals(List.of(), n.problems());
        assertEquals(expected, n.readings().get(0).effective());
        assertEquals(flag.isEmpty() ? List.of() : List.of(flag), n.readings().get(0).flags());
    }

    @Test
    void anUnusableTimeIsAProblemAtItsField() throws PayloadRejected {
        Decoding d = decode(message(MSH, PID, OBR, MDS,
                "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.0.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||2024-03-01",
                "OBX|3|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.0.0.2|70|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||20240301",
                "OBX|4|NM|149546^MDC_PULS_RATE_NON_INV^MDC|1.0.0.3|64|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R"));
        assertEquals(1, d.observations().size());
        assertEquals(List.of("OBX-14(2)", "OBX-14(3)"), d.problems().stream().map(Problem::location).toList());
    }

    /** MDC_ATTR_TIME_ABS: the device clock (OBX-5) is 7 minutes behind the gateway's (OBX-14). */
    @Test
    void theDeviceClockDriftMeasuredByTheGatewayCorrectsTheReading() {
        Normalized n = normalize(message(MSH, PID, OBR,
                "OBX|1|CWE|68220^MDC_TIME_SYNC_PROTOCOL^MDC|0.0.0.1|532224^MDC_TIME_SYNC_NONE^MDC|||||R",
                MDS,
                "OBX|2|DTM|67975^MDC_ATTR_TIME_ABS^MDC|1.0.0.1|20240301100800+0100||||||R|||20240301101500+0100",
                "OBX|3||150020^MDC_PRESS_BLD_NONINV^MDC|1.0.1|||||||R|||20240301100000+0100",
                "OBX|4|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|128|266016^MDC_DIM_MMHG^MDC|||||R",
                "OBX|5|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.1.2|84|266016^MDC_DIM_MMHG^MDC|||||R"));
        assertEquals(List.of(), n.problems());
        NormalizedReading r = n.readings().get(0);
        assertEquals(Instant.parse("2024-03-01T09:00:00Z"), r.deviceTime());
        assertEquals(Instant.parse("2024-03-01T09:07:00Z"), r.effective());
        assertTrue(r.clockCorrected());
        assertEquals(List.of("clock-corrected:420s"), r.flags());
    }

    /** The classic Continua example: HAPI's default validation rejects it (withdrawn XTN.1 in PID-13); we read it. */
    @Test
    void theClassicContinuaExampleIsReadAndItsClockDriftMeasured() throws PayloadRejected {
        Decoding d = decode(Hl7Corpus.bytes("pcd01/hapi-MessageValidatorTest-testWithdrawnDatatype_BP.hl7"));
        assertEquals(List.of(), d.problems());
        Observation o = d.observations().get(0);
        assertEquals("85354-9", o.code());
        assertEquals("0123456789ABCDEF", o.device());
        // device clock 20091028123702 (no offset: MSH-7's +0000) vs gateway 20091028173702+0000
        assertEquals(Duration.ofHours(5), o.clockCorrection());
        assertEquals(Instant.parse("2009-08-13T09:57:15Z"), o.deviceTime());
    }

    @Test
    void withoutAnMdsIdentifierTheDeviceIsObr3sEui64() {
        Normalized n = normalize(Hl7Corpus.bytes("pcd01/ipf-valid-pcd01-request2_IHE-PCD-TF-E11_ICU.hl7"));
        NormalizedReading hr = n.readings().get(0);
        assertEquals("080019FFFF4F6AC0", hr.device());
        assertEquals("8867-4", hr.code());
        assertEquals(List.of("tz:assumed-utc"), hr.flags());
        // PVC count, invasive arterial and pulmonary pressures, invasive pulse: no LOINC Vigil accepts
        assertEquals(8, n.problems().size());
        assertTrue(n.problems().stream().allMatch(p -> p.code() == ErrorCode.UNSUPPORTED_CODE));
    }

    @Test
    void crlfLineEndingsAreReadLikeCr() {
        Normalized n = normalize(Hl7Corpus.bytes(
                "original/oehf-ipf/commons__ihe__hl7v2ws__src__test__resources__pcd01__valid-pcd01-request.hl7v2"));
        assertEquals(List.of(), n.problems());
        assertEquals(1, n.readings().size());
    }

    @Test
    void aMessageWithNoUsableObxIsRejectedWithItsFirstProblem() {
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> decode(message(MSH, PID, OBR, MDS,
                "OBX|2|NM|148065^MDC_ECG_V_P_C_CNT^MDC|1.0.0.1|0|/min^/min^UCUM|||||R")));
        assertEquals(new Problem(ErrorCode.UNSUPPORTED_CODE, "MDC code 148065 (MDC_ECG_V_P_C_CNT) is not in Vigil's MDC→LOINC table.",
                "OBX-3(2)"), e.problem());

        e = assertThrows(PayloadRejected.class, () -> decode(message(MSH, PID, OBR, MDS)));
        assertEquals(ErrorCode.INVALID_READING, e.problem().code());
        assertEquals("OBX", e.problem().location());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
            "not HL7 at all; MALFORMED_PAYLOAD; MSH",
            "MSH|^~; MALFORMED_PAYLOAD; MSH",
            "MSH|^~\\&|A||||20240301||ACK^R01^ACK|1|P|2.6<CR>MSA|AA|1; UNSUPPORTED_MESSAGE; MSH-9.1",
            "MSH|^~\\&|A||||20240301||ADT^A01|1|P|2.6<CR>EVN|A01; UNSUPPORTED_MESSAGE; MSH-9.1",
            "MSH|^~\\&|A||||20240301||ORU^R30|1|P|2.6; UNSUPPORTED_MESSAGE; MSH-9.2",
            "MSH|^~\\&|A||||20240301||ORU^R01|1|P|2.5; UNSUPPORTED_MESSAGE; MSH-12",
            "MSH|^~\\&|A||||20240301||ORU^R01|1|P|2.5.1; UNSUPPORTED_MESSAGE; MSH-12",
            "MSH|^~\\&|A||||20240301||ORU^R01|1|P|; MALFORMED_PAYLOAD; MSH-12",
            "MSH|^~\\&|A||||20240301||^R01|1|P|2.6; MALFORMED_PAYLOAD; MSH-9.1",
    })
    void unreadableOrUnsupportedMessagesSaySoAtTheirHeader(String text, ErrorCode code, String location) {
        byte[] bytes = text.replace("<CR>", "\r").getBytes(StandardCharsets.ISO_8859_1);
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> decode(bytes));
        assertEquals(code, e.problem().code(), e.problem().reason());
        assertEquals(location, e.problem().location());
    }

    @Test
    void obxSegmentsOutsideAnObrGroupAreNamedAsTheProblem() {
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> decode(Hl7Corpus.bytes("pcd01-variants/ipf-testNoOBR.hl7")));
        assertEquals(new Problem(ErrorCode.INVALID_READING, "The message's OBX segments are not in an OBR group (OBR, then its OBX), "
                + "so none can be read.", "OBR"), e.problem());
    }

    @Test
    void aMeasurementWhoseDeviceIsNamedNowhereIsAProblemAtItsObx18() throws PayloadRejected {
        Decoding d = decode(message(MSH, PID, OBR.replace("^EUI-64", "^ISO"),
                "OBX|1||528391^MDC_DEV_SPEC_PROFILE_BP^MDC|1|||||||R",
                "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.0.1|97|262688^MDC_DIM_PERCENT^MDC|||||R",
                "OBX|3|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.0.0.2|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R|||||||ABCDEF0123456789^EUI-64"));
        assertEquals(List.of("ABCDEF0123456789"), d.observations().stream().map(Observation::device).toList());
        assertEquals(List.of(new Problem(ErrorCode.INVALID_READING, "No device EUI-64 for 150456 MDC_PULS_OXIM_SAT_O2: neither "
                + "its MDS's OBX-18, its own OBX-18 nor OBR-3 names one.", "OBX-18(2)")), d.problems());
    }

    @Test
    void laterVersionsAreReadAsTwoSix() throws PayloadRejected {
        Decoding d = decode(message(MSH.replace("|2.6|", "|2.7.1|"), PID, OBR, MDS,
                "OBX|2|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.0.1|97|262688^MDC_DIM_PERCENT^MDC|||||R"));
        assertEquals(1, d.observations().size());
    }

    @Test
    void aBloodPressurePanelNeedsItsSystolicAndDiastolic() {
        Normalized n = normalize(message(MSH, PID, OBR, MDS,
                "OBX|2||150020^MDC_PRESS_BLD_NONINV^MDC|1.0.1|||||||R",
                "OBX|3|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.1.1|128|266016^MDC_DIM_MMHG^MDC|||||R",
                "OBX|4||150020^MDC_PRESS_BLD_NONINV^MDC|1.0.2|||||||R",
                "OBX|5|NM|150021^MDC_PRESS_BLD_NONINV_SYS^MDC|1.0.2.1|131|266016^MDC_DIM_MMHG^MDC|||||R",
                "OBX|6|NM|150022^MDC_PRESS_BLD_NONINV_DIA^MDC|1.0.2.2|85|266016^MDC_DIM_MMHG^MDC|||||R"));
        assertEquals(1, n.readings().size());
        assertEquals(Map.of("8480-6", 131.0, "8462-4", 85.0), values(n.readings().get(0)));
        assertEquals(ErrorCode.INVALID_READING, n.problems().get(0).code());
    }

    @Test
    void theSameBytesAlwaysDecodeTheSameWay() throws PayloadRejected {
        byte[] bytes = Hl7Corpus.bytes("pcd01/ipf-valid-pcd01-MaximumRequest2.hl7");
        assertEquals(decode(bytes), decode(bytes));
    }
}
