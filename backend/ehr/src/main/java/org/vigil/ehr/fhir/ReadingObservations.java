package org.vigil.ehr.fhir;

import io.micronaut.core.annotation.Nullable;
import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.ehr.Interpretation;
import org.vigil.ehr.ObservationItem;

import java.util.List;

/** One reading as one Observation of the specific R4 profile of its code. */
final class ReadingObservations {

    private ReadingObservations() {
    }

    static Observation observation(ObservationItem item, Reference subject, @Nullable Reference device) {
        VitalSign vital = ItemShape.vital(item.code());
        List<Measurement> measurements = ItemShape.measurements(item);
        ObservationKind kind = ObservationKind.of(vital);
        Observation o = header(kind, vital, subject);
        o.addIdentifier(FhirTypes.identifier(FhirResources.READING_SYSTEM, item.contentHash()));
        o.setEffective(FhirTypes.dateTime(item.effective()));
        o.setIssuedElement(FhirTypes.instant(item.received()));
        // Measured at home by the patient, who is the performer (as in the PHD IG's examples).
        o.addPerformer(subject.copy());
        for (Measurement m : measurements) {
            Observation.ObservationComponentComponent c = value(o, vital, m.code(),
                    FhirTypes.quantity(ReadingText.decimal(m.value()), m.unit()));
            Interpretation own = item.interpretationOf(m.code());
            if (c != null && own != null) {
                c.addInterpretation(FhirTypes.interpretation(own));  // which component is out of range, not only that one is
            }
        }
        if (device != null) {
            o.setDevice(device.copy());
        }
        if (item.interpretation() != null) {
            o.addInterpretation(FhirTypes.interpretation(item.interpretation()));
        }
        if (item.alert() != null) {
            o.addNote(new Annotation().setText(ReadingText.alertNote(item.alert())));
        }
        ReadingText.flagsNote(item.flags()).ifPresent(text -> o.addNote(new Annotation().setText(text)));
        return o;
    }

    /** What every Observation of a vital sign starts with, a reading's or a summary's. */
    static Observation header(ObservationKind kind, VitalSign vital, Reference subject) {
        Observation o = new Observation();
        if (kind.profile() != null) {
            o.getMeta().addProfile(kind.profile());
        }
        o.setStatus(Observation.ObservationStatus.FINAL);
        o.addCategory(kind.categoryConcept());
        o.setCode(kind.code(vital));
        o.setSubject(subject.copy());
        return o;
    }

    /** A single value is the Observation's value; a panel's values are components. @return the component, if one */
    @Nullable
    static Observation.ObservationComponentComponent value(Observation o, VitalSign vital, String code, Quantity value) {
        if (vital.isPanel()) {
            VitalSign component = ItemShape.vital(code);
            return o.addComponent().setCode(ObservationKind.of(component).code(component)).setValue(value);
        }
        o.setValue(value);
        return null;
    }
}
