package org.vigil.core;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The LOINC codes Vigil understands, with their canonical UCUM unit and the bounds outside which a value is
 * physiologically impossible (a measurement error, not a clinical finding: those are the alert rules' job).
 */
public enum VitalSign {
    SYSTOLIC_BP("8480-6", "Systolic blood pressure", "mm[Hg]", 40, 300),
    DIASTOLIC_BP("8462-4", "Diastolic blood pressure", "mm[Hg]", 20, 200),
    MEAN_BP("8478-0", "Mean blood pressure", "mm[Hg]", 30, 250),
    BLOOD_PRESSURE("85354-9", "Blood pressure panel", List.of("8480-6", "8462-4"), List.of("8478-0")),
    HEART_RATE("8867-4", "Heart rate", "/min", 20, 300),
    BODY_WEIGHT("29463-7", "Body weight", "kg", 0.5, 500),
    OXYGEN_SATURATION("59408-5", "Oxygen saturation by pulse oximetry", "%", 50, 100),
    GLUCOSE("2339-0", "Glucose [Mass/volume] in Blood", "mg/dL", 10, 1500),
    BODY_TEMPERATURE("8310-5", "Body temperature", "Cel", 25, 45),
    BODY_HEIGHT("8302-2", "Body height", "cm", 30, 275),
    BMI("39156-5", "Body mass index", "kg/m2", 5, 150),
    RESPIRATORY_RATE("9279-1", "Respiratory rate", "/min", 2, 100),
    /** Steps over the reading's interval; the upper bound is a day of running. */
    STEPS("55423-8", "Number of steps", "{steps}", 0, 200_000);

    private static final Map<String, VitalSign> BY_CODE =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(VitalSign::code, Function.identity()));

    private final String code;
    private final String display;
    private final String unit;
    private final double min;
    private final double max;
    private final List<String> components;
    private final List<String> required;

    VitalSign(String code, String display, String unit, double min, double max) {
        this(code, display, unit, min, max, List.of(), List.of());
    }

    /** A panel: its values are in its components, each a vital sign of its own. */
    VitalSign(String code, String display, List<String> required, List<String> optional) {
        this(code, display, "", 0, 0, required, optional);
    }

    VitalSign(String code, String display, String unit, double min, double max, List<String> required,
              List<String> optional) {
        this.code = code;
        this.display = display;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.required = required;
        this.components = Stream.concat(required.stream(), optional.stream()).toList();
    }

    public static Optional<VitalSign> byCode(String code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }

    public String unit() {
        return unit;
    }

    public double min() {
        return min;
    }

    public double max() {
        return max;
    }

    /** The component codes a panel may have; empty for a single-value vital sign. */
    public List<String> components() {
        return components;
    }

    /** The component codes a panel must have. */
    public List<String> requiredComponents() {
        return required;
    }

    public boolean isPanel() {
        return !components.isEmpty();
    }

    public boolean isPlausible(double value) {
        return value >= min && value <= max;
    }
}
