package org.vigil.ehr.fhir;

import org.hl7.fhir.r4.model.Annotation;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.vigil.core.VitalSign;
import org.vigil.ehr.SummaryItem;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * A period's statistics as FHIR: per vital one Observation of the vital's own profile over the period, whose value
 * is the mean ({@code method} says so), with the count and range in a note; optionally grouped by a
 * DiagnosticReport.
 * <p>
 * Count, minimum and maximum are in a note, not in {@code referenceRange} (which an EHR shows as the normal range,
 * so 118–141 would read as "normal is 118–141") nor in extra components (no LOINC code says "maximum systolic
 * pressure of a period", and an EHR would file an invented one as another vital sign).
 */
final class Summaries {
    /**
     * LOINC 85353-1 "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel": LOINC's
     * panel for a set of vital signs with every member optional, the code FHIR R4's vitalspanel profile groups
     * vital signs under, so an EHR already knows it as "vital signs". LOINC has no code for a remote-monitoring
     * summary; glucose and steps, which the panel does not name, are the exception in a summary, not the rule.
     */
    static final Coding REPORT_CODE = new Coding(ObservationKind.LOINC, "85353-1",
            "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel");

    /** The value is a mean: R4's own statistics code, the one its Observation $stats operation returns. */
    static final Coding AVERAGE = new Coding("http://terminology.hl7.org/CodeSystem/observation-statistics",
            "average", "Average");

    private Summaries() {
    }

    static List<Observation> observations(SummaryItem s, UUID patientId, Reference subject) {
        List<Observation> observations = new ArrayList<>();
        for (SummaryItem.VitalStats v : s.vitals()) {
            observations.add(observation(s, v, patientId, subject));
        }
        return observations;
    }

    static DiagnosticReport report(SummaryItem s, UUID patientId, Reference subject, List<Reference> results) {
        DiagnosticReport r = new DiagnosticReport();
        r.addIdentifier(FhirTypes.identifier(FhirResources.SUMMARY_SYSTEM, key(s, patientId)));
        r.setStatus(DiagnosticReport.DiagnosticReportStatus.FINAL);
        r.setCode(new CodeableConcept(REPORT_CODE.copy()).setText(title(s)));
        r.setSubject(subject.copy());
        r.setEffective(FhirTypes.period(s.start(), s.end()));
        // The statistics are final when the period ends; the time we happen to render them would change the
        // resource on every re-send.
        r.setIssuedElement(FhirTypes.instant(s.end()));
        results.forEach(ref -> r.addResult(ref.copy()));
        r.setConclusion(conclusion(s));
        return r;
    }

    /** {@code <patientId>:<period>:<start>}: one summary per patient and period, at every EHR. */
    static String key(SummaryItem s, UUID patientId) {
        return patientId + ":" + s.period() + ":" + s.start();
    }

    private static Observation observation(SummaryItem s, SummaryItem.VitalStats v, UUID patientId, Reference subject) {
        VitalSign vital = ItemShape.vital(v.code());
        Observation o = ReadingObservations.header(ObservationKind.of(vital), vital, subject);
        o.addIdentifier(FhirTypes.identifier(FhirResources.SUMMARY_SYSTEM, key(s, patientId) + ":" + v.code()));
        o.setEffective(FhirTypes.period(s.start(), s.end()));
        o.setIssuedElement(FhirTypes.instant(s.end()));
        for (SummaryItem.Stat stat : ItemShape.statistics(v)) {
            ReadingObservations.value(o, vital, stat.code(), FhirTypes.quantity(ReadingText.mean(stat.mean()), stat.unit()));
        }
        o.setMethod(new CodeableConcept(AVERAGE.copy()));
        o.addNote(new Annotation().setText(note(vital, v)));
        return o;
    }

    /** "Mean of 12 readings, range 118 to 141 mm[Hg]." or, for a panel, one sentence per component. */
    private static String note(VitalSign vital, SummaryItem.VitalStats v) {
        if (!vital.isPanel()) {
            return ReadingText.statisticsSentence(v.components().get(0));
        }
        StringBuilder b = new StringBuilder();
        for (SummaryItem.Stat stat : v.components()) {
            b.append(b.length() == 0 ? "" : " ").append(display(stat.code())).append(": ").append(statistics(stat)).append('.');
        }
        return b.toString();
    }

    /** Every statistic of the period in one paragraph, for an EHR that shows the report's conclusion only. */
    private static String conclusion(SummaryItem s) {
        StringBuilder b = new StringBuilder(title(s)).append(", ").append(s.start()).append(" to ").append(s.end())
                .append(" (UTC).");
        for (SummaryItem.VitalStats v : s.vitals()) {
            for (SummaryItem.Stat stat : v.components()) {
                b.append(' ').append(display(stat.code())).append(' ').append(ReadingText.mean(stat.mean()).toPlainString())
                        .append(' ').append(stat.unit()).append(" (").append(statistics(stat)).append(").");
            }
        }
        return b.toString();
    }

    private static String title(SummaryItem s) {
        String period = s.period().isEmpty() ? s.period()
                : s.period().substring(0, 1).toUpperCase(Locale.ROOT) + s.period().substring(1);
        return period + " summary of home monitoring readings";
    }

    private static String statistics(SummaryItem.Stat stat) {
        return ReadingText.statistics(stat.count(), stat.min(), stat.max(), stat.unit());
    }

    private static String display(String code) {
        return ItemShape.vital(code).display();
    }
}
