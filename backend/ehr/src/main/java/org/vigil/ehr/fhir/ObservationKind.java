package org.vigil.ehr.fhir;

import io.micronaut.core.annotation.Nullable;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.vigil.core.VitalSign;

/**
 * What FHIR R4 expects of an Observation of one Vigil vital sign: the profile it must conform to, its category,
 * and the coding the profile fixes when it is not our LOINC code.
 *
 * @param profile  the profile claimed in {@code meta.profile}; null where FHIR R4 has none for the code
 * @param category a code of http://terminology.hl7.org/CodeSystem/observation-category
 * @param leading  a coding the profile requires before ours (oxygensat fixes 2708-6; we measure 59408-5)
 */
record ObservationKind(@Nullable String profile, String category, String categoryDisplay, @Nullable Coding leading) {

    static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
    static final String LOINC = "http://loinc.org";
    private static final String PROFILES = "http://hl7.org/fhir/StructureDefinition/";

    /**
     * Exhaustive on purpose: a new vital sign does not compile until someone decides how FHIR wants it.
     * <p>
     * Glucose is not a vital sign in FHIR R4 (no vital-signs profile, not in the vital-signs value set); a home
     * glucometer performs an in-vitro test on a blood sample, which R4 and US Core file as {@code laboratory}
     * (US Core's point-of-care glucose examples are laboratory results), so an EHR routes it to lab results and
     * trends it with the clinic's glucose values. Steps are {@code activity}, R4's category for bodily activity.
     * Systolic, diastolic and mean pressure alone have no specific profile: only the generic vital-signs one.
     */
    static ObservationKind of(VitalSign vital) {
        return switch (vital) {
            case BLOOD_PRESSURE -> vitalSigns("bp");
            case HEART_RATE -> vitalSigns("heartrate");
            case BODY_WEIGHT -> vitalSigns("bodyweight");
            case OXYGEN_SATURATION -> new ObservationKind(PROFILES + "oxygensat", "vital-signs", "Vital Signs",
                    new Coding(LOINC, "2708-6", "Oxygen saturation in Arterial blood"));
            case BODY_TEMPERATURE -> vitalSigns("bodytemp");
            case BODY_HEIGHT -> vitalSigns("bodyheight");
            case BMI -> vitalSigns("bmi");
            case RESPIRATORY_RATE -> vitalSigns("resprate");
            case SYSTOLIC_BP, DIASTOLIC_BP, MEAN_BP -> vitalSigns("vitalsigns");
            case GLUCOSE -> new ObservationKind(null, "laboratory", "Laboratory", null);
            case STEPS -> new ObservationKind(null, "activity", "Activity", null);
        };
    }

    CodeableConcept categoryConcept() {
        return new CodeableConcept(new Coding(CATEGORY_SYSTEM, category, categoryDisplay)).setText(categoryDisplay);
    }

    /** The code of an Observation (or component) of this vital sign: the profile's coding first, then ours. */
    CodeableConcept code(VitalSign vital) {
        CodeableConcept concept = new CodeableConcept();
        if (leading != null) {
            concept.addCoding(leading.copy());
        }
        return concept.addCoding(loinc(vital)).setText(vital.display());
    }

    static Coding loinc(VitalSign vital) {
        return new Coding(LOINC, vital.code(), vital.display());
    }

    private static ObservationKind vitalSigns(String profile) {
        return new ObservationKind(PROFILES + profile, "vital-signs", "Vital Signs", null);
    }
}
