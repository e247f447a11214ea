package org.vigil.ehr.fhir;

import ca.uhn.fhir.model.api.TemporalPrecisionEnum;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Period;
import org.hl7.fhir.r4.model.Quantity;
import org.vigil.ehr.Interpretation;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Date;
import java.util.TimeZone;

/** The FHIR datatypes every rendering builds the same way. */
final class FhirTypes {
    static final String UCUM = "http://unitsofmeasure.org";
    static final String INTERPRETATION_SYSTEM = "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation";
    private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

    private FhirTypes() {
    }

    /** To the second unless the instant has a fraction: a device's whole seconds should not read as milliseconds. */
    static DateTimeType dateTime(Instant at) {
        DateTimeType t = new DateTimeType(Date.from(at), precision(at), UTC);
        t.setTimeZoneZulu(true);
        return t;
    }

    static InstantType instant(Instant at) {
        InstantType t = new InstantType(Date.from(at), precision(at), UTC);
        t.setTimeZoneZulu(true);
        return t;
    }

    /** Our periods end exclusively; FHIR's end is "the end of the period", so the boundary instant is shared. */
    static Period period(Instant start, Instant end) {
        return new Period().setStartElement(dateTime(start)).setEndElement(dateTime(end));
    }

    /** A UCUM quantity; {@code unit} repeats the code because our units are UCUM codes already. */
    static Quantity quantity(BigDecimal value, String ucum) {
        return new Quantity().setValue(value).setUnit(ucum).setSystem(UCUM).setCode(ucum);
    }

    static CodeableConcept interpretation(Interpretation i) {
        return new CodeableConcept(new Coding(INTERPRETATION_SYSTEM, i.code(), i.display())).setText(i.display());
    }

    static Identifier identifier(String system, String value) {
        return new Identifier().setSystem(system).setValue(value);
    }

    /** {@code system|value} as a token search parameter, escaping what FHIR search reserves in a value. */
    static String token(String system, String value) {
        StringBuilder b = new StringBuilder(system).append('|');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\\' || c == '|' || c == ',' || c == '$') {
                b.append('\\');
            }
            b.append(c);
        }
        return b.toString();
    }

    private static TemporalPrecisionEnum precision(Instant at) {
        return at.getNano() == 0 ? TemporalPrecisionEnum.SECOND : TemporalPrecisionEnum.MILLI;
    }
}
