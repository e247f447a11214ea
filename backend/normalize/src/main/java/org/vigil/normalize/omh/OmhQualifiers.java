package org.vigil.normalize.omh;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Turns what an Open mHealth body says about how a value was taken (posture, site, statistic, relation to meals
 * or sleep, specimen) into reading flags {@code key:value}. The keys are Vigil's, the same for every schema version:
 * OMH renamed some properties over time (position_during_measurement became body_posture, blood_specimen_type
 * became specimen_source) and a rule on posture should not care which version a phone speaks.
 * <p>
 * Free text ({@code user_notes}) is left out: flags are short coded qualifiers, and a note may hold anything the
 * patient typed.
 */
final class OmhQualifiers {
    /** Body property → flag key, in the order flags are written. */
    private static final List<Map.Entry<String, String>> KEYS = List.of(
            Map.entry("descriptive_statistic", "statistic"),
            Map.entry("descriptive_statistic_denominator", "statistic-denominator"),
            Map.entry("position_during_measurement", "position"),
            Map.entry("body_posture", "position"),
            Map.entry("measurement_location", "measurement-location"),
            Map.entry("temporal_relationship_to_meal", "temporal-relationship-to-meal"),
            Map.entry("temporal_relationship_to_sleep", "temporal-relationship-to-sleep"),
            Map.entry("temporal_relationship_to_physical_activity", "temporal-relationship-to-physical-activity"),
            Map.entry("blood_specimen_type", "specimen-source"),
            Map.entry("specimen_source", "specimen-source"),
            Map.entry("system", "system"),
            Map.entry("measurement_method", "measurement-method"),
            Map.entry("supplemental_oxygen_flow_rate", "supplemental-oxygen-flow-rate"),
            Map.entry("oxygen_therapy_mode_of_administration", "oxygen-therapy-mode-of-administration"));

    private OmhQualifiers() {
    }

    static List<String> flags(JsonNode body) {
        List<String> flags = new ArrayList<>();
        for (Map.Entry<String, String> key : KEYS) {
            JsonNode v = body.path(key.getKey());
            if (v.isTextual()) {
                flags.add(key.getValue() + ":" + v.textValue());
            } else if (v.path("value").isNumber() && v.path("unit").isTextual()) {
                // a unit-value: the supplemental oxygen flow rate
                flags.add(key.getValue() + ":" + v.path("value").asText() + " " + v.path("unit").textValue());
            }
        }
        return flags;
    }
}
