package org.vigil.ehr.fhir;

import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.ehr.DeviceInfo;
import org.vigil.ehr.Interpretation;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.SummaryItem;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FhirResourcesTest {
    private static final String SD = "http://hl7.org/fhir/StructureDefinition/";
    /** The specific R4 profile per code, as listed in ../shared/corpus/fhir/PROVENANCE.md (read from the R4 package). */
    private static final Map<String, String> PROFILE = Map.of(
            "85354-9", SD + "bp", "8867-4", SD + "heartrate", "29463-7", SD + "bodyweight",
            "59408-5", SD + "oxygensat", "8310-5", SD + "bodytemp", "9279-1", SD + "resprate",
            "39156-5", SD + "bmi", "8302-2", SD + "bodyheight");
    private static final Reference SUBJECT = new Reference("Patient/123");
    private static final Reference DEVICE = new Reference("Device/cuff-1");

    /** Seconds to build: one for the class. */
    private static final R4Validator validator = new R4Validator();
    private final FhirResources fhir = new FhirResources(R4Validator.R4);

    /** The profile a rendering must pass: the specific one where R4 has it, the generic or base one otherwise. */
    private static String profileOf(VitalSign v) {
        if (PROFILE.containsKey(v.code())) {
            return PROFILE.get(v.code());
        }
        return v == VitalSign.GLUCOSE || v == VitalSign.STEPS ? SD + "Observation" : SD + "vitalsigns";
    }

    @ParameterizedTest
    @EnumSource(VitalSign.class)
    void everyVitalSignConformsToItsProfile(VitalSign v) {
        Observation o = fhir.observation(Items.reading(v), SUBJECT, DEVICE);

        assertEquals(List.of(), validator.errors(o, profileOf(v)), v.name());
        if (PROFILE.containsKey(v.code()) || !profileOf(v).endsWith("Observation")) {
            assertEquals(profileOf(v), o.getMeta().getProfile().get(0).getValue());
        } else {
            assertTrue(o.getMeta().getProfile().isEmpty(), "no profile claimed where R4 has none");
        }
        assertEquals(Observation.ObservationStatus.FINAL, o.getStatus());
        assertEquals("hash-" + v.code(), identifier(o.getIdentifier(), FhirResources.READING_SYSTEM));
        assertEquals("2025-03-04T07:15:30Z", o.getEffectiveDateTimeType().getValueAsString());
        assertEquals("2025-03-04T07:16:02.250Z", o.getIssuedElement().getValueAsString());
        assertEquals("Device/cuff-1", o.getDevice().getReference());
        assertEquals("Patient/123", o.getSubject().getReference());
        assertEquals("Patient/123", o.getPerformerFirstRep().getReference(), "self-measured, as the PHD IG has it");
        Coding loinc = o.getCode().getCoding().stream().filter(c -> c.getCode().equals(v.code())).findFirst().orElseThrow();
        assertEquals("http://loinc.org", loinc.getSystem());
        assertEquals(v.display(), loinc.getDisplay());
        if (v.isPanel()) {
            assertEquals(v.components().size(), o.getComponent().size());
            Quantity systolic = o.getComponent().get(0).getValueQuantity();
            assertEquals("128", systolic.getValue().toPlainString());
            assertEquals("mm[Hg]", systolic.getCode());
        } else {
            Quantity q = o.getValueQuantity();
            assertEquals(ReadingText.decimal(Items.measurement(v).value()), q.getValue());
            assertEquals("http://unitsofmeasure.org", q.getSystem());
            assertEquals(v.unit(), q.getCode());
            assertEquals(v.unit(), q.getUnit());
        }
    }

    @Test
    void categoriesFollowR4() {
        assertEquals("vital-signs", category(fhir.observation(Items.reading(VitalSign.HEART_RATE), SUBJECT, null)));
        assertEquals("laboratory", category(fhir.observation(Items.reading(VitalSign.GLUCOSE), SUBJECT, null)));
        assertEquals("activity", category(fhir.observation(Items.reading(VitalSign.STEPS), SUBJECT, null)));
    }

    @Test
    void oxygenSaturationCarriesTheCodeTheProfileFixesBeforeOurs() {
        Observation o = fhir.observation(Items.reading(VitalSign.OXYGEN_SATURATION), SUBJECT, null);
        assertEquals(List.of("2708-6", "59408-5"), o.getCode().getCoding().stream().map(Coding::getCode).toList());

        o.getCode().getCoding().remove(0);
        assertFalse(validator.errors(o, SD + "oxygensat").isEmpty(), "without 2708-6 the profile must fail");
    }

    @Test
    void bloodPressureWithoutDiastolicFailsTheBpProfile() {
        ObservationItem systolicOnly = Items.reading("85354-9", List.of(Items.measurement(VitalSign.SYSTOLIC_BP)),
                List.of(), null, null);
        Observation o = fhir.observation(systolicOnly, SUBJECT, DEVICE);

        List<String> errors = validator.errors(o, SD + "bp");
        assertFalse(errors.isEmpty(), "the validator must see a missing diastolic component");
        assertTrue(errors.stream().anyMatch(e -> e.contains("component")), errors.toString());
    }

    @Test
    void wrongUnitFailsTheProfile() {
        ObservationItem bpm = Items.reading("8867-4", List.of(new Measurement("8867-4", 72, "bpm")), List.of(), null, null);
        assertFalse(validator.errors(fhir.observation(bpm, SUBJECT, null), SD + "heartrate").isEmpty());
    }

    @Test
    void eachComponentOfAPanelCarriesItsOwnInterpretation() {
        Observation o = fhir.observation(Items.bloodPressure(Interpretation.CRITICAL_HIGH, Interpretation.CRITICAL_HIGH,
                Interpretation.NORMAL), SUBJECT, DEVICE);

        assertEquals(List.of(), validator.errors(o, SD + "bp"));
        assertEquals("HH", o.getInterpretationFirstRep().getCodingFirstRep().getCode(), "the panel: its worst component");
        assertEquals("HH", o.getComponent().get(0).getInterpretationFirstRep().getCodingFirstRep().getCode(), "systolic");
        assertEquals("N", o.getComponent().get(1).getInterpretationFirstRep().getCodingFirstRep().getCode(), "diastolic");
        assertFalse(o.getComponent().get(2).hasInterpretation(), "no band for the mean arterial pressure: no flag");
    }

    @Test
    void interpretationAlertAndClinicalFlagsValidate() {
        ObservationItem item = Items.reading("85354-9", Items.measurements(VitalSign.BLOOD_PRESSURE),
                List.of("irregular-pulse", "seq:17", "user:1", "statistic:maximum"), Interpretation.CRITICAL_HIGH,
                Items.alert("Systolic 182 mm[Hg] above the patient's threshold of 160 | seen twice in 24 h"));
        Observation o = fhir.observation(item, SUBJECT, DEVICE);

        assertEquals(List.of(), validator.errors(o, SD + "bp"));
        Coding interpretation = o.getInterpretationFirstRep().getCodingFirstRep();
        assertEquals("http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation", interpretation.getSystem());
        assertEquals("HH", interpretation.getCode());
        assertEquals(2, o.getNote().size());
        assertEquals("Vigil alert (high): Systolic 182 mm[Hg] above the patient's threshold of 160 | seen twice in 24 h",
                o.getNote().get(0).getText());
        assertEquals("Device reported: irregular pulse, statistic: maximum.", o.getNote().get(1).getText());
    }

    @ParameterizedTest
    @EnumSource(Interpretation.class)
    void everyInterpretationIsAValidCode(Interpretation i) {
        ObservationItem item = Items.reading("8867-4", List.of(Items.measurement(VitalSign.HEART_RATE)), List.of(), i, null);
        assertEquals(List.of(), validator.errors(fhir.observation(item, SUBJECT, null), SD + "heartrate"));
    }

    @Test
    void technicalFlagsStayOutOfTheChart() {
        ObservationItem item = Items.reading("8867-4", List.of(Items.measurement(VitalSign.HEART_RATE)),
                List.of("seq:3", "sensor-contact:detected", "rr-ms:800,810"), null, null);
        assertTrue(fhir.observation(item, SUBJECT, null).getNote().isEmpty());
    }

    @Test
    void aComponentThePanelDoesNotHaveIsRefused() {
        ObservationItem item = Items.reading("85354-9", List.of(Items.measurement(VitalSign.HEART_RATE)), List.of(), null, null);
        assertThrows(IllegalArgumentException.class, () -> fhir.observation(item, SUBJECT, null));
        ObservationItem unknown = Items.reading("1234-5", List.of(new Measurement("1234-5", 1, "1")), List.of(), null, null);
        assertThrows(IllegalArgumentException.class, () -> fhir.observation(unknown, SUBJECT, null));
    }

    @Test
    void conditionalCreateNamesTheReadingIdentifier() {
        assertEquals("identifier=urn:vigil:reading|hash-8867-4", fhir.conditionalCreate(Items.reading(VitalSign.HEART_RATE)));
        assertEquals("identifier=urn:vigil:summary|a\\|b\\,c", fhir.conditionalCreate(
                new Identifier().setSystem(FhirResources.SUMMARY_SYSTEM).setValue("a|b,c")));
    }

    @Test
    void deviceCarriesItsIdentifiersAndMdcType() {
        Device d = fhir.device(Items.CUFF);

        assertEquals(List.of(), validator.errors(d));
        assertEquals(Items.CUFF.deviceId().toString(), identifier(d.getIdentifier(), FhirResources.DEVICE_SYSTEM));
        assertEquals("5180400664", identifier(d.getIdentifier(), FhirResources.SERIAL_SYSTEM));
        assertEquals("A0-B1-C2-D3-E4-F5", identifier(d.getIdentifier(), FhirResources.MAC_SYSTEM));
        assertEquals("5180400664", d.getSerialNumber());
        assertEquals("UA-651BLE", d.getModelNumber());
        assertEquals("UA-651BLE", d.getDeviceNameFirstRep().getName());
        assertEquals(Device.FHIRDeviceStatus.ACTIVE, d.getStatus());
        assertEquals("urn:iso:std:iso:11073:10101", d.getType().getCodingFirstRep().getSystem());
        assertEquals("528391", d.getType().getCodingFirstRep().getCode());
        assertEquals("Device?identifier=urn:vigil:device|" + Items.CUFF.deviceId(), fhir.deviceConditionalUrl(Items.CUFF));
    }

    @ParameterizedTest
    @ValueSource(strings = {"blood-pressure-cuff", "scale", "glucometer", "pulse-oximeter", "thermometer", "wearable",
            "hub", "something-new"})
    void everyDeviceKindValidates(String kind) {
        DeviceInfo d = new DeviceInfo(UUID.randomUUID(), kind, "M-1", null, "490154203237518", null, "490154203237518");
        Device device = fhir.device(d);
        assertEquals(List.of(), validator.errors(device));
        assertEquals("490154203237518", identifier(device.getIdentifier(), FhirResources.IMEI_SYSTEM));
        assertFalse(device.getType().getText().isBlank());
    }

    @Test
    void deviceHashIsStableAndFollowsWhatWeSend() {
        String hash = fhir.deviceHash(Items.CUFF);
        assertEquals(hash, new FhirResources(R4Validator.R4).deviceHash(Items.CUFF));
        assertEquals(64, hash.length());
        DeviceInfo newModel = new DeviceInfo(Items.CUFF.deviceId(), Items.CUFF.kind(), "UA-651BLE Plus",
                Items.CUFF.serial(), null, Items.CUFF.mac(), Items.CUFF.reported());
        assertNotEquals(hash, fhir.deviceHash(newModel));
        DeviceInfo otherReport = new DeviceInfo(Items.CUFF.deviceId(), Items.CUFF.kind(), Items.CUFF.model(),
                Items.CUFF.serial(), null, "A0-B1-C2-D3-E4-F5", "A0B1C2D3E4F5");
        assertEquals(hash, fhir.deviceHash(otherReport), "the same MAC written differently is the same Device");
    }

    @Test
    void summaryObservationsConformToTheirProfiles() {
        SummaryItem s = Items.summary();
        List<Observation> observations = fhir.summaryObservations(s, Items.PATIENT, SUBJECT);

        assertEquals(s.vitals().size(), observations.size());
        for (Observation o : observations) {
            VitalSign v = VitalSign.byCode(o.getCode().getCoding().get(o.getCode().getCoding().size() - 1).getCode()).orElseThrow();
            assertEquals(List.of(), validator.errors(o, profileOf(v)), v.name());
            assertEquals(Items.PATIENT + ":daily:2025-03-03T00:00:00Z:" + v.code(),
                    identifier(o.getIdentifier(), FhirResources.SUMMARY_SYSTEM));
            assertEquals("2025-03-03T00:00:00Z", o.getEffectivePeriod().getStartElement().getValueAsString());
            assertEquals("2025-03-04T00:00:00Z", o.getEffectivePeriod().getEndElement().getValueAsString());
        }
        Observation bp = observations.stream().filter(o -> o.getCode().getCodingFirstRep().getCode().equals("85354-9"))
                .findFirst().orElseThrow();
        assertEquals("129.6", bp.getComponent().get(0).getValueQuantity().getValue().toPlainString());
        assertEquals("Systolic blood pressure: mean of 12 readings, range 115.2 to 140.8 mm[Hg]. "
                + "Diastolic blood pressure: mean of 12 readings, range 73.8 to 90.2 mm[Hg]. "
                + "Mean blood pressure: mean of 12 readings, range 87.3 to 106.7 mm[Hg].", bp.getNoteFirstRep().getText());
        Observation hr = observations.stream().filter(o -> o.getCode().getCodingFirstRep().getCode().equals("8867-4"))
                .findFirst().orElseThrow();
        assertEquals("72.9", hr.getValueQuantity().getValue().toPlainString());
        assertEquals("Mean of 12 readings, range 64.8 to 79.2 /min.", hr.getNoteFirstRep().getText());
    }

    /**
     * Why R4Validator corrects vs-1: as shipped, every effectivePeriod fails it, and nothing else differs. The day
     * the shipped profiles are corrected this fails, and the correction can go.
     */
    @Test
    void vs1AsShippedRejectsEveryPeriodAndTheCorrectionStillRequiresADay() {
        Observation summary = fhir.summaryObservations(Items.summary(), Items.PATIENT, SUBJECT).stream()
                .filter(o -> o.getCode().getCodingFirstRep().getCode().equals("8867-4")).findFirst().orElseThrow();
        List<String> asShipped = new R4Validator(R4Validator.AS_SHIPPED).errors(summary, SD + "heartrate");
        assertFalse(asShipped.isEmpty());
        assertTrue(asShipped.stream().allMatch(e -> e.contains("vs-1")), asShipped.toString());

        Observation yearOnly = fhir.observation(Items.reading(VitalSign.HEART_RATE), SUBJECT, null);
        yearOnly.setEffective(new org.hl7.fhir.r4.model.DateTimeType("2025"));
        assertTrue(validator.errors(yearOnly, SD + "heartrate").stream().anyMatch(e -> e.contains("vs-1")));
    }

    @Test
    void aBrokenSummaryFailsToo() {
        SummaryItem.Stat systolic = new SummaryItem.Stat("8480-6", "mm[Hg]", 3, 120, 140, 130);
        SummaryItem s = new SummaryItem("weekly", Items.summary().start(), Items.summary().end(),
                List.of(new SummaryItem.VitalStats("85354-9", List.of(systolic))));
        Observation o = fhir.summaryObservations(s, Items.PATIENT, SUBJECT).get(0);
        assertFalse(validator.errors(o, SD + "bp").isEmpty());
    }

    @Test
    void summaryReportValidatesAndReferencesItsResults() {
        SummaryItem s = Items.summary();
        List<Reference> results = List.of(new Reference("Observation/1"), new Reference("Observation/2"));
        DiagnosticReport r = fhir.summaryReport(s, Items.PATIENT, SUBJECT, results);

        assertEquals(List.of(), validator.errors(r));
        assertEquals(DiagnosticReport.DiagnosticReportStatus.FINAL, r.getStatus());
        assertEquals("85353-1", r.getCode().getCodingFirstRep().getCode());
        assertEquals(Items.PATIENT + ":daily:2025-03-03T00:00:00Z", identifier(r.getIdentifier(), FhirResources.SUMMARY_SYSTEM));
        assertEquals("2025-03-04T00:00:00Z", r.getIssuedElement().getValueAsString());
        assertEquals(List.of("Observation/1", "Observation/2"), r.getResult().stream().map(Reference::getReference).toList());
        assertTrue(r.getConclusion().startsWith("Daily summary of home monitoring readings, 2025-03-03T00:00:00Z to "
                + "2025-03-04T00:00:00Z (UTC). Systolic blood pressure 129.6 mm[Hg] (mean of 12 readings, range "
                + "115.2 to 140.8 mm[Hg])."), r.getConclusion());
    }

    @Test
    void transactionBundleOfConditionalCreatesValidates() {
        Bundle.BundleEntryComponent device = fhir.updateEntry(fhir.device(Items.CUFF), fhir.deviceConditionalUrl(Items.CUFF));
        ObservationItem item = Items.reading(VitalSign.BLOOD_PRESSURE);
        Observation o = fhir.observation(item, SUBJECT, new Reference(device.getFullUrl()));
        Bundle.BundleEntryComponent observation = fhir.createEntry(o, fhir.conditionalCreate(item));
        Bundle bundle = fhir.transaction(List.of(device, observation));

        assertEquals(List.of(), validator.errors(bundle));
        assertEquals(Bundle.BundleType.TRANSACTION, bundle.getType());
        assertEquals(Bundle.HTTPVerb.POST, observation.getRequest().getMethod());
        assertEquals("Observation", observation.getRequest().getUrl());
        assertEquals("identifier=urn:vigil:reading|hash-85354-9", observation.getRequest().getIfNoneExist());
        assertTrue(observation.getFullUrl().matches("urn:uuid:[0-9a-f-]{36}"));
        assertEquals(observation.getFullUrl(), fhir.createEntry(o, fhir.conditionalCreate(item)).getFullUrl(),
                "a re-rendered bundle is the same bundle");
        assertEquals(Bundle.HTTPVerb.PUT, device.getRequest().getMethod());
        assertEquals(fhir.deviceConditionalUrl(Items.CUFF), device.getRequest().getUrl());
    }

    @Test
    void sameItemRendersTheSameJson() {
        ObservationItem item = Items.reading(VitalSign.BODY_WEIGHT);
        var json = R4Validator.R4.newJsonParser();
        assertEquals(json.encodeResourceToString(fhir.observation(item, SUBJECT, DEVICE)),
                json.encodeResourceToString(fhir.observation(item, SUBJECT, DEVICE)));
    }

    /**
     * The outside authors' R4 examples (corpus fhir/r4-spec-examples) code the same vitals with the same
     * systems, codes and units: what we send reads like what the spec shows.
     */
    @ParameterizedTest
    @ValueSource(strings = {"observation-example-bloodpressure.json", "observation-example-heart-rate.json",
            "observation-example-satO2.json", "observation-example-body-temperature.json"})
    void codedLikeTheSpecExamples(String file) throws Exception {
        Path path = Items.corpus("fhir/r4-spec-examples/" + file);
        Observation example = R4Validator.R4.newJsonParser().parseResource(Observation.class, Files.readString(path));
        String code = example.getCode().getCoding().stream().map(Coding::getCode)
                .filter(c -> VitalSign.byCode(c).isPresent()).reduce((a, b) -> b).orElseThrow();
        Observation ours = fhir.observation(Items.reading(VitalSign.byCode(code).orElseThrow()), SUBJECT, null);

        assertEquals(category(example), category(ours));
        assertEquals(loincCodes(example).subList(0, loincCodes(ours).size()), loincCodes(ours));
        if (example.hasValueQuantity()) {
            assertEquals(example.getValueQuantity().getSystem(), ours.getValueQuantity().getSystem());
            assertEquals(example.getValueQuantity().getCode(), ours.getValueQuantity().getCode());
        }
        for (int i = 0; i < example.getComponent().size(); i++) {
            Observation.ObservationComponentComponent theirs = example.getComponent().get(i);
            Observation.ObservationComponentComponent mine = ours.getComponent().get(i);
            assertEquals(theirs.getCode().getCodingFirstRep().getCode(), mine.getCode().getCodingFirstRep().getCode());
            assertEquals(theirs.getValueQuantity().getCode(), mine.getValueQuantity().getCode());
        }
    }

    private static List<String> loincCodes(Observation o) {
        return o.getCode().getCoding().stream().filter(c -> c.getSystem().equals("http://loinc.org")).map(Coding::getCode).toList();
    }

    private static String category(Observation o) {
        return o.getCategoryFirstRep().getCodingFirstRep().getCode();
    }

    private static String identifier(List<Identifier> identifiers, String system) {
        return identifiers.stream().filter(i -> system.equals(i.getSystem())).map(Identifier::getValue).findFirst()
                .orElseThrow(() -> new AssertionError("no identifier of " + system + " in " + identifiers));
    }
}
