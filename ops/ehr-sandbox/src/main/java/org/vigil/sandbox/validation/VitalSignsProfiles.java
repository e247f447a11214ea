package org.vigil.sandbox.validation;

import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Observation;

import java.util.Map;

/**
 * Picks the R4 vital-signs profile an Observation must meet from its LOINC code, as an EHR that enforces the
 * vital-signs profiles would, whether or not the sender claimed the profile in meta.profile.
 */
public final class VitalSignsProfiles {

    public static final String BASE = "http://hl7.org/fhir/StructureDefinition/Observation";
    public static final String VITAL_SIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns";
    private static final String LOINC = "http://loinc.org";
    private static final String CATEGORY_SYSTEM = "http://terminology.hl7.org/CodeSystem/observation-category";
    private static final String SD = "http://hl7.org/fhir/StructureDefinition/";

    // The LOINC codes the R4 vital-signs profiles fix in Observation.code (FHIR R4 §vitalsigns table).
    private static final Map<String, String> BY_LOINC = Map.ofEntries(
            Map.entry("85354-9", SD + "bp"),
            Map.entry("8867-4", SD + "heartrate"),
            Map.entry("29463-7", SD + "bodyweight"),
            Map.entry("2708-6", SD + "oxygensat"),
            Map.entry("59408-5", SD + "oxygensat"),
            Map.entry("8310-5", SD + "bodytemp"),
            Map.entry("9279-1", SD + "resprate"),
            Map.entry("8302-2", SD + "bodyheight"),
            Map.entry("9843-4", SD + "headcircum"),
            Map.entry("39156-5", SD + "bmi"),
            Map.entry("85353-1", SD + "vitalspanel"));

    private VitalSignsProfiles() {
    }

    /** The profile for this Observation: its specific vital sign, else vitalsigns if so categorised, else base. */
    public static String profileFor(Observation observation) {
        for (Coding coding : observation.getCode().getCoding()) {
            if (LOINC.equals(coding.getSystem()) && BY_LOINC.containsKey(coding.getCode())) {
                return BY_LOINC.get(coding.getCode());
            }
        }
        for (CodeableConcept category : observation.getCategory()) {
            for (Coding coding : category.getCoding()) {
                if (CATEGORY_SYSTEM.equals(coding.getSystem()) && "vital-signs".equals(coding.getCode())) {
                    return VITAL_SIGNS;
                }
            }
        }
        return BASE;
    }
}
