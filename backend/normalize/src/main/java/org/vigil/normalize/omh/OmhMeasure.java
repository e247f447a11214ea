package org.vigil.normalize.omh;

import com.fasterxml.jackson.databind.JsonNode;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.normalize.PayloadRejected;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The Open mHealth measures Vigil decodes, the schema versions it bundles for each, and where in the body each
 * LOINC-coded value sits. A version is listed only once its field names have been checked against the mapping.
 */
enum OmhMeasure {
    BLOOD_PRESSURE("blood-pressure", VitalSign.BLOOD_PRESSURE, List.of("1.0", "2.0", "3.0", "3.1", "4.0"),
            new Value("/systolic_blood_pressure", VitalSign.SYSTOLIC_BP),
            new Value("/diastolic_blood_pressure", VitalSign.DIASTOLIC_BP)),
    /** The body is the unit-value itself. */
    SYSTOLIC_BLOOD_PRESSURE("systolic-blood-pressure", VitalSign.SYSTOLIC_BP, List.of("1.0", "1.1"),
            new Value("", VitalSign.SYSTOLIC_BP)),
    DIASTOLIC_BLOOD_PRESSURE("diastolic-blood-pressure", VitalSign.DIASTOLIC_BP, List.of("1.0", "1.1"),
            new Value("", VitalSign.DIASTOLIC_BP)),
    BODY_WEIGHT("body-weight", VitalSign.BODY_WEIGHT, List.of("1.0", "2.0", "3.0"),
            new Value("/body_weight", VitalSign.BODY_WEIGHT)),
    HEART_RATE("heart-rate", VitalSign.HEART_RATE, List.of("1.0", "1.1", "2.0"),
            new Value("/heart_rate", VitalSign.HEART_RATE)),
    BLOOD_GLUCOSE("blood-glucose", VitalSign.GLUCOSE, List.of("1.0", "2.0", "3.0", "4.0"),
            new Value("/blood_glucose", VitalSign.GLUCOSE)),
    OXYGEN_SATURATION("oxygen-saturation", VitalSign.OXYGEN_SATURATION, List.of("1.0", "2.0"),
            new Value("/oxygen_saturation", VitalSign.OXYGEN_SATURATION)),
    BODY_TEMPERATURE("body-temperature", VitalSign.BODY_TEMPERATURE, List.of("1.0", "2.0", "3.0", "4.0"),
            new Value("/body_temperature", VitalSign.BODY_TEMPERATURE)),
    /** Versions 1.0 and 2.0 give a bare number of steps; 3.0 a unit-value in {@code steps}. */
    STEP_COUNT("step-count", VitalSign.STEPS, List.of("1.0", "2.0", "3.0"),
            new Value("/step_count", VitalSign.STEPS));

    /** Where one value sits in the body (a JSON pointer) and what it measures. */
    private record Value(String pointer, VitalSign sign) {
    }

    private final String schemaName;
    private final VitalSign sign;
    private final List<String> versions;
    private final List<Value> values;

    OmhMeasure(String schemaName, VitalSign sign, List<String> versions, Value... values) {
        this.schemaName = schemaName;
        this.sign = sign;
        this.versions = versions;
        this.values = List.of(values);
    }

    static Optional<OmhMeasure> bySchemaName(String name) {
        return Arrays.stream(values()).filter(m -> m.schemaName.equals(name)).findFirst();
    }

    String schemaName() {
        return schemaName;
    }

    /** LOINC code of the observation: a panel code when the measure has several values. */
    String code() {
        return sign.code();
    }

    List<String> versions() {
        return versions;
    }

    List<OmhSchemaId> schemaIds() {
        return versions.stream().map(v -> new OmhSchemaId("omh", schemaName, v)).toList();
    }

    /**
     * The values of a body that passed its schema, in the units the sender used. The schema guarantees the shape;
     * the checks here only keep a schema gap from turning into a wrong reading.
     */
    List<Measurement> measurements(JsonNode body) throws PayloadRejected {
        List<Measurement> out = new ArrayList<>(values.size());
        for (Value v : values) {
            JsonNode node = body.at(v.pointer());
            if (node.isNumber()) {
                // a bare count (step-count 1.0 and 2.0): the schema defines no unit, steps are implied
                out.add(new Measurement(v.sign().code(), node.doubleValue(), v.sign().unit()));
            } else if (node.path("value").isNumber() && node.path("unit").isTextual()) {
                double value = node.path("value").doubleValue();
                out.add(new Measurement(v.sign().code(), value, node.path("unit").textValue()));
            } else {
                throw new PayloadRejected(ErrorCode.INVALID_READING, "The body has no numeric value with a unit at "
                        + (v.pointer().isEmpty() ? "its top level" : v.pointer()) + ".", "/body" + v.pointer());
            }
        }
        return out;
    }
}
