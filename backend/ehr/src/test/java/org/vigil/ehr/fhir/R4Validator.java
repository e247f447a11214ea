package org.vigil.ehr.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.context.support.IValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.StructureDefinition;

import java.util.List;
import java.util.stream.Stream;

/**
 * The offline R4 validation chain (corpus fhir/PROVENANCE.md): the core profiles and terminology HAPI ships, no
 * terminology server. Slow to build (seconds), so one per test class.
 * <p>
 * One correction, the one the reference validator (org.hl7.fhir.core's package loader) and Firely's apply to the
 * R4 vital-signs profiles: vs-1 as published, {@code ($this as dateTime).toString().length() >= 8}, is empty for
 * an {@code effectivePeriod} and so fails every Period, though it only means to require day precision of a
 * dateTime. HAPI's classpath profiles are not corrected. {@link #AS_SHIPPED} builds the chain without it, to show
 * the correction is still needed and changes nothing else.
 */
final class R4Validator {
    static final FhirContext R4 = FhirContext.forR4Cached();
    static final boolean AS_SHIPPED = true;
    static final String VS_1 = "$this is dateTime implies $this.toString().length() >= 10";
    private static final String VITALSIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

    private final FhirValidator validator;

    R4Validator() {
        this(false);
    }

    R4Validator(boolean asShipped) {
        DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(R4);
        ValidationSupportChain chain = new ValidationSupportChain(
                asShipped ? new PrePopulatedValidationSupport(R4) : correctedVitalSigns(core),
                core,
                new InMemoryTerminologyServerValidationSupport(R4),
                new CommonCodeSystemsTerminologyService(R4),
                new SnapshotGeneratingValidationSupport(R4));
        validator = R4.newValidator().registerValidatorModule(new FhirInstanceValidator(chain));
    }

    /** Errors and fatals of the resource against {@code profile} (its own meta.profile is checked too). */
    List<String> errors(Resource resource, String profile) {
        return messages(resource, profile, ResultSeverityEnum.ERROR, ResultSeverityEnum.FATAL);
    }

    /** Errors against the base definition of the resource type only. */
    List<String> errors(Resource resource) {
        return errors(resource, "http://hl7.org/fhir/StructureDefinition/" + resource.fhirType());
    }

    List<String> warnings(Resource resource, String profile) {
        return messages(resource, profile, ResultSeverityEnum.WARNING);
    }

    private List<String> messages(Resource resource, String profile, ResultSeverityEnum... severities) {
        List<ResultSeverityEnum> wanted = List.of(severities);
        return validator.validateWithResult(resource, new ValidationOptions().addProfile(profile)).getMessages().stream()
                .filter(m -> wanted.contains(m.getSeverity()))
                .map(R4Validator::describe)
                .toList();
    }

    private static IValidationSupport correctedVitalSigns(DefaultProfileValidationSupport core) {
        PrePopulatedValidationSupport corrected = new PrePopulatedValidationSupport(R4);
        for (StructureDefinition sd : core.<StructureDefinition>fetchAllStructureDefinitions()) {
            if (VITALSIGNS.equals(sd.getUrl()) || VITALSIGNS.equals(sd.getBaseDefinition())) {
                StructureDefinition copy = sd.copy();
                Stream.concat(copy.getSnapshot().getElement().stream(), copy.getDifferential().getElement().stream())
                        .map(ElementDefinition::getConstraint)
                        .flatMap(List::stream)
                        .filter(c -> "vs-1".equals(c.getKey()))
                        .forEach(c -> c.setExpression(VS_1));
                corrected.addStructureDefinition(copy);
            }
        }
        return corrected;
    }

    private static String describe(SingleValidationMessage m) {
        return m.getSeverity() + " " + m.getLocationString() + ": " + m.getMessage();
    }
}
