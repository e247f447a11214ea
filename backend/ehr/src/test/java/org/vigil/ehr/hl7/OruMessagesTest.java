package org.vigil.ehr.hl7;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.PipeParser;
import ca.uhn.hl7v2.util.Terser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigil.core.VitalSign;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.Interpretation;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.PatientIdentity;
import org.vigil.ehr.SummaryItem;
import org.vigil.ehr.fhir.Items;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OruMessagesTest {
    private static final Instant NOW = Instant.parse("2025-03-04T07:20:00.500Z");
    private static final String OBX = "/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION(%d)/OBX-%s";
    private static final String OBX_NTE = "/PATIENT_RESULT/ORDER_OBSERVATION/OBSERVATION(%d)/NTE(%d)-3";
    private static final String ORDER_NTE = "/PATIENT_RESULT/ORDER_OBSERVATION/NTE(%d)-3";

    /** HAPI with its default validation on, picking the model by MSH-12 as a receiver would. */
    private final PipeParser receiver = receiver();

    private static PipeParser receiver() {
        HapiContext context = new DefaultHapiContext();
        return context.getPipeParser();
    }

    private static Hl7Header header(String version) {
        return new Hl7Header("VIGIL^1.2.3.4^ISO", "ACME-RPM", "EPIC", "GENERAL-HOSP", version, "P");
    }

    private Terser parse(String er7, String version) throws Exception {
        Message m = receiver.parse(er7);
        String model = version.equals("2.6") ? "v26" : "v251";
        assertEquals("ca.uhn.hl7v2.model." + model + ".message.ORU_R01", m.getClass().getName());
        return new Terser(m);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5.1", "2.6"})
    void aSingleReadingParsesBackWithEveryField(String version) throws Exception {
        ObservationItem item = Items.reading(VitalSign.HEART_RATE);
        String er7 = OruMessages.reading(item, Items.JANE, "GENHOSP", header(version), "CTRL0001", NOW);
        Terser t = parse(er7, version);

        assertEquals("VIGIL", t.get("/.MSH-3-1"));
        assertEquals("1.2.3.4", t.get("/.MSH-3-2"));
        assertEquals("ISO", t.get("/.MSH-3-3"));
        assertEquals("ACME-RPM", t.get("/.MSH-4-1"));
        assertEquals("EPIC", t.get("/.MSH-5-1"));
        assertEquals("GENERAL-HOSP", t.get("/.MSH-6-1"));
        assertEquals("20250304072000+0000", t.get("/.MSH-7"));
        assertEquals("ORU", t.get("/.MSH-9-1"));
        assertEquals("R01", t.get("/.MSH-9-2"));
        assertEquals("ORU_R01", t.get("/.MSH-9-3"));
        assertEquals("CTRL0001", t.get("/.MSH-10"));
        assertEquals("P", t.get("/.MSH-11"));
        assertEquals(version, t.get("/.MSH-12"));
        assertEquals("UNICODE UTF-8", t.get("/.MSH-18"));
        assertEquals(null, t.get("/.MSH-15"), "original acknowledgement mode");
        assertEquals(null, t.get("/.MSH-16"));

        assertEquals("MRN-00042", t.get("/.PID-3-1"));
        assertEquals("GENHOSP", t.get("/.PID-3-4"));
        assertEquals("MR", t.get("/.PID-3-5"));
        assertEquals("Doe", t.get("/.PID-5-1"));
        assertEquals("Jane", t.get("/.PID-5-2"));
        assertEquals("Q.", t.get("/.PID-5-3"));
        assertEquals("19521103", t.get("/.PID-7"));

        assertEquals("1", t.get("/.OBR-1"));
        assertEquals("hash-8867-4", t.get("/.OBR-3-1"));
        assertEquals("VIGIL", t.get("/.OBR-3-2"));
        assertEquals("8867-4", t.get("/.OBR-4-1"));
        assertEquals("Heart rate", t.get("/.OBR-4-2"));
        assertEquals("LN", t.get("/.OBR-4-3"));
        assertEquals("20250304071530+0000", t.get("/.OBR-7"));

        assertEquals("1", t.get(obx(0, "1")));
        assertEquals("NM", t.get(obx(0, "2")));
        assertEquals("8867-4", t.get(obx(0, "3-1")));
        assertEquals("Heart rate", t.get(obx(0, "3-2")));
        assertEquals("LN", t.get(obx(0, "3-3")));
        assertEquals("1", t.get(obx(0, "4")));
        assertEquals("72", t.get(obx(0, "5")));
        assertEquals("/min", t.get(obx(0, "6-1")));
        assertEquals("/min", t.get(obx(0, "6-2")));
        assertEquals("UCUM", t.get(obx(0, "6-3")));
        assertEquals(null, t.get(obx(0, "8")));
        assertEquals("F", t.get(obx(0, "11")));
        assertEquals("20250304071530+0000", t.get(obx(0, "14")));
        assertEquals("5180400664", t.get(obx(0, "18-1")));
        assertEquals(List.of("MSH", "PID", "OBR", "OBX"), segments(er7));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5.1", "2.6"})
    void aFlaggedBloodPressurePanelWithAnAlert(String version) throws Exception {
        ObservationItem item = Items.reading("85354-9", Items.measurements(VitalSign.BLOOD_PRESSURE),
                List.of("irregular-pulse", "seq:9"), Interpretation.HIGH, Items.alert("Systolic 182 above 160"));
        String er7 = OruMessages.reading(item, Items.JANE, "GENHOSP", header(version), "CTRL0002", NOW);
        Terser t = parse(er7, version);

        assertEquals(List.of("MSH", "PID", "OBR", "NTE", "NTE", "OBX", "OBX", "OBX"), segments(er7));
        assertEquals("85354-9", t.get("/.OBR-4-1"));
        assertEquals("Vigil alert (high): Systolic 182 above 160", t.get(String.format(ORDER_NTE, 0)));
        assertEquals("Device reported: irregular pulse.", t.get(String.format(ORDER_NTE, 1)));
        List<String> codes = List.of("8480-6", "8462-4", "8478-0");
        List<String> values = List.of("128", "82", "97");
        for (int i = 0; i < 3; i++) {
            assertEquals(String.valueOf(i + 1), t.get(obx(i, "1")));
            assertEquals(codes.get(i), t.get(obx(i, "3-1")));
            assertEquals("1." + (i + 1), t.get(obx(i, "4")), "components of one panel");
            assertEquals(values.get(i), t.get(obx(i, "5")));
            assertEquals("mm[Hg]", t.get(obx(i, "6-1")));
            assertEquals("H", t.get(obx(i, "8")));
        }
        assertEquals("Systolic blood pressure", t.get(obx(0, "3-2")));
    }

    @Test
    void onlyTheOutOfRangeComponentOfAPanelIsFlagged() throws Exception {
        Terser t = parse(OruMessages.reading(Items.bloodPressure(Interpretation.HIGH, Interpretation.HIGH, Interpretation.NORMAL),
                Items.JANE, "GENHOSP", header("2.5.1"), "C", NOW), "2.5.1");
        assertEquals("H", t.get(obx(0, "8")), "systolic");
        assertEquals("N", t.get(obx(1, "8")), "diastolic");
        assertEquals(null, t.get(obx(2, "8")), "mean arterial pressure: no band, no flag");
    }

    @Test
    void aTrendOverAPanelFlagsEveryComponentAbnormal() throws Exception {
        Terser t = parse(OruMessages.reading(Items.bloodPressure(Interpretation.ABNORMAL, Interpretation.NORMAL, Interpretation.NORMAL),
                Items.JANE, "GENHOSP", header("2.5.1"), "C", NOW), "2.5.1");
        for (int i = 0; i < 3; i++) {
            assertEquals("A", t.get(obx(i, "8")));
        }
    }

    @Test
    void everyInterpretationIsAnAbnormalFlag() throws Exception {
        for (Interpretation i : Interpretation.values()) {
            ObservationItem item = Items.reading("8867-4", List.of(Items.measurement(VitalSign.HEART_RATE)), List.of(), i, null);
            Terser t = parse(OruMessages.reading(item, Items.JANE, "GENHOSP", header("2.6"), "C", NOW), "2.6");
            assertEquals(i.code(), t.get(obx(0, "8")));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5.1", "2.6"})
    void delimitersInNamesAndNotesAreEscapedAndComeBack(String version) throws Exception {
        String awkward = "a|b^c~d\\e&f";
        PatientIdentity p = new PatientIdentity(Items.PATIENT, "urn:x", "ID|7^8", "Zoë " + awkward, LocalDate.of(1960, 1, 2));
        ObservationItem item = Items.reading("8867-4", List.of(Items.measurement(VitalSign.HEART_RATE)), List.of(),
                Interpretation.HIGH, Items.alert("Rate " + awkward + "\r\nsecond line"));
        String er7 = OruMessages.reading(item, p, "AUTH&ORITY", header(version), "C3", NOW);

        assertTrue(er7.contains("a\\F\\b\\S\\c\\R\\d\\E\\e\\T\\f"), er7);
        assertEquals(List.of("MSH", "PID", "OBR", "NTE", "OBX"), segments(er7), "a line break in text is no segment");
        Terser t = parse(er7, version);
        assertEquals("ID|7^8", t.get("/.PID-3-1"));
        assertEquals("AUTH&ORITY", t.get("/.PID-3-4"));
        assertEquals(awkward, t.get("/.PID-5-1"));
        assertEquals("Zoë", t.get("/.PID-5-2"));
        assertEquals("Vigil alert (high): Rate " + awkward + " second line", t.get(String.format(ORDER_NTE, 0)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"2.5.1", "2.6"})
    void aSummaryIsOneOrderWithFourStatisticsPerMeasuredCode(String version) throws Exception {
        SummaryItem s = new SummaryItem("weekly", Instant.parse("2025-02-24T00:00:00Z"), Instant.parse("2025-03-03T00:00:00Z"),
                List.of(new SummaryItem.VitalStats("85354-9", List.of(
                                new SummaryItem.Stat("8480-6", "mm[Hg]", 12, 118, 141, 128.4166),
                                new SummaryItem.Stat("8462-4", "mm[Hg]", 12, 70, 88, 79.25))),
                        new SummaryItem.VitalStats("29463-7", List.of(new SummaryItem.Stat("29463-7", "kg", 7, 80.1, 81.6, 80.94)))));
        String er7 = OruMessages.summary(s, Items.JANE, "GENHOSP", header(version), OruMessages.controlId("x"), NOW);
        Terser t = parse(er7, version);

        assertEquals(Items.PATIENT + ":weekly:2025-02-24T00:00:00Z", t.get("/.OBR-3-1"));
        assertEquals("85353-1", t.get("/.OBR-4-1"));
        assertEquals("20250224000000+0000", t.get("/.OBR-7"));
        assertEquals("20250303000000+0000", t.get("/.OBR-8"));
        assertEquals(12, segments(er7).stream().filter("OBX"::equals).count());

        // systolic: mean under LOINC with its statistics in an NTE, then minimum, maximum, count
        assertEquals("8480-6", t.get(obx(0, "3-1")));
        assertEquals("LN", t.get(obx(0, "3-3")));
        assertEquals("128.4", t.get(obx(0, "5")));
        assertEquals("average", t.get(obx(0, "17-1")));
        assertEquals("1.1", t.get(obx(0, "4")));
        assertEquals("Mean of 12 readings, range 118 to 141 mm[Hg].", t.get(String.format(OBX_NTE, 0, 0)));
        assertEquals("8480-6:minimum", t.get(obx(1, "3-1")));
        assertEquals("99VGL", t.get(obx(1, "3-3")));
        assertEquals("118", t.get(obx(1, "5")));
        assertEquals("8480-6:maximum", t.get(obx(2, "3-1")));
        assertEquals("141", t.get(obx(2, "5")));
        assertEquals("8480-6:count", t.get(obx(3, "3-1")));
        assertEquals("12", t.get(obx(3, "5")));
        assertEquals("{readings}", t.get(obx(3, "6-1")));
        assertEquals("1.1", t.get(obx(3, "4")));
        // diastolic: the panel's second component
        assertEquals("8462-4", t.get(obx(4, "3-1")));
        assertEquals("1.2", t.get(obx(4, "4")));
        assertEquals("79.3", t.get(obx(4, "5")));
        // weight: the second vital
        assertEquals("29463-7", t.get(obx(8, "3-1")));
        assertEquals("2", t.get(obx(8, "4")));
        assertEquals("80.9", t.get(obx(8, "5")));
        assertEquals("kg", t.get(obx(9, "6-1")));
        assertEquals("12", t.get(obx(11, "1")), "set ids run through the order");
    }

    @Test
    void everyVitalSignRenders() throws Exception {
        for (VitalSign v : VitalSign.values()) {
            String er7 = OruMessages.reading(Items.reading(v), Items.JANE, "GENHOSP", header("2.5.1"), "C", NOW);
            Terser t = parse(er7, "2.5.1");
            assertEquals(v.code(), t.get("/.OBR-4-1"));
            assertEquals(v.isPanel() ? v.components().get(0) : v.code(), t.get(obx(0, "3-1")));
        }
        parse(OruMessages.summary(Items.summary(), Items.JANE, "GENHOSP", header("2.6"), "C", NOW), "2.6");
    }

    @Test
    void sameInputsSameMessage() {
        ObservationItem item = Items.reading(VitalSign.BLOOD_PRESSURE);
        assertEquals(OruMessages.reading(item, Items.JANE, "A", header("2.6"), "C", NOW),
                OruMessages.reading(item, Items.JANE, "A", header("2.6"), "C", NOW));
    }

    @Test
    void sandboxEndpointsSendTestMessages() throws Exception {
        EhrEndpoint.Mllp mllp = new EhrEndpoint.Mllp("localhost", 2575, false, null, "VIGIL", "ACME", "EPIC", "HOSP",
                "2.6", 1, "urn:oid:1.2.3", "GENHOSP");
        assertEquals("P", Hl7Header.of(mllp, false).processingId());
        Hl7Header h = Hl7Header.of(mllp, true);
        Terser t = parse(OruMessages.reading(Items.reading(VitalSign.HEART_RATE), Items.JANE, "A", h, "C", NOW), "2.6");
        assertEquals("T", t.get("/.MSH-11"));
        assertThrows(IllegalArgumentException.class, () -> new Hl7Header("A", "B", "C", "D", "2.3", "P"));
        assertThrows(IllegalArgumentException.class, () -> new Hl7Header("A", "B", "C", "D", "2.6", "D"));
    }

    @Test
    void controlIdsAreDeterministicShortAndSafe() {
        String id = OruMessages.controlId("hash-8867-4");
        assertEquals(id, OruMessages.controlId("hash-8867-4"));
        assertEquals(20, id.length());
        assertTrue(id.matches("[A-Z2-7]{20}"), id);
        assertFalse(id.equals(OruMessages.controlId("hash-8867-5")));
        assertEquals(20, OruMessages.controlId("").length());
        // the first 20 characters of RFC 4648 base32 of SHA-256("abc"), as Python's base64.b32encode gives them
        assertEquals("XJ4BNP4PAHH6UQKBIDPF", OruMessages.controlId("abc"));
    }

    @Test
    void aComponentThePanelDoesNotHaveIsRefused() {
        ObservationItem item = Items.reading("85354-9", List.of(Items.measurement(VitalSign.HEART_RATE)), List.of(), null, null);
        assertThrows(IllegalArgumentException.class,
                () -> OruMessages.reading(item, Items.JANE, "A", header("2.6"), "C", NOW));
    }

    private static String obx(int observation, String field) {
        return String.format(OBX, observation, field);
    }

    private static List<String> segments(String er7) {
        assertTrue(er7.endsWith("\r"));
        assertFalse(er7.contains("\n"));
        return Arrays.stream(er7.split("\r")).map(s -> s.substring(0, 3)).toList();
    }
}
