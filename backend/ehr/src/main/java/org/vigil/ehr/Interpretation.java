package org.vigil.ehr;

/**
 * The abnormal flag of a result against the patient's thresholds, in the codes both FHIR
 * (v3-ObservationInterpretation) and HL7 v2 (table 0078, OBX-8) use.
 */
public enum Interpretation {
    NORMAL("N", "Normal"),
    HIGH("H", "High"),
    LOW("L", "Low"),
    CRITICAL_HIGH("HH", "Critical high"),
    CRITICAL_LOW("LL", "Critical low"),
    /** Raised an alert although no band says it is out of range (a rise over days, a mean of several). */
    ABNORMAL("A", "Abnormal");

    private final String code;
    private final String display;

    Interpretation(String code, String display) {
        this.code = code;
        this.display = display;
    }

    public String code() {
        return code;
    }

    public String display() {
        return display;
    }
}
