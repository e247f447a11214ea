package org.vigil.sandbox.validation;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationOptions;
import ca.uhn.fhir.validation.ValidationResult;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.PrePopulatedValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.SnapshotGeneratingValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.ElementDefinition;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.StructureDefinition;
import org.vigil.sandbox.ValidationFinding;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * HAPI's instance validator over an offline R4 chain (core definitions, the vital-signs profiles, in-memory
 * terminology and UCUM), checking an Observation against the vital-signs profile its code calls for.
 * Building and first use take seconds, so a sandbox makes one and shares it; HAPI's FhirValidator is
 * thread-safe, so concurrent requests validate in parallel.
 * <p>
 * One correction to the R4 vital-signs profiles HAPI ships, the one the reference validator (org.hl7.fhir.core's
 * package loader) and Firely's apply: vs-1 as published, {@code ($this as dateTime).toString().length() >= 8}, is
 * empty for an {@code effectivePeriod} and so fails every Period (a summary over a day, say), though it only means
 * to require a dateTime precise to the day. Corrected, it still refuses a year-only dateTime. Without the
 * correction this sandbox would report errors no real EHR's validator reports.
 */
public final class ObservationValidator {
    /** vs-1 as the reference validator corrects it. */
    static final String VS_1 = "$this is dateTime implies $this.toString().length() >= 10";
    private static final String VITALSIGNS = "http://hl7.org/fhir/StructureDefinition/vitalsigns";

    private final FhirValidator validator;

    public ObservationValidator(FhirContext context) {
        DefaultProfileValidationSupport core = new DefaultProfileValidationSupport(context);
        ValidationSupportChain chain = new ValidationSupportChain(
                ValidationSupportChain.CacheConfiguration.defaultValues(),
                // first in the chain, so its vital-signs profiles are found before the core ones they replace
                correctedVitalSigns(context, core),
                core,
                new InMemoryTerminologyServerValidationSupport(context),
                new CommonCodeSystemsTerminologyService(context),
                new SnapshotGeneratingValidationSupport(context));
        FhirInstanceValidator module = new FhirInstanceValidator(chain);
        validator = context.newValidator().registerValidatorModule(module);
        // the schema and schematron validators would repeat the structural checks, slowly
        validator.setValidateAgainstStandardSchema(false);
        validator.setValidateAgainstStandardSchematron(false);
    }

    /** The outcome of one validation: the errors in full, the warnings only counted. */
    public record Outcome(String profile, List<ValidationFinding> errors, int warnings) {
    }

    public Outcome validate(Observation observation) {
        String profile = VitalSignsProfiles.profileFor(observation);
        ValidationResult result = validator.validateWithResult(observation, new ValidationOptions().addProfile(profile));
        String label = label(observation);
        List<ValidationFinding> errors = new ArrayList<>();
        int warnings = 0;
        for (SingleValidationMessage message : result.getMessages()) {
            ResultSeverityEnum severity = message.getSeverity();
            if (severity == ResultSeverityEnum.ERROR || severity == ResultSeverityEnum.FATAL) {
                errors.add(new ValidationFinding(label, profile, severity.getCode(), message.getMessage(),
                        message.getLocationString()));
            } else if (severity == ResultSeverityEnum.WARNING) {
                warnings++;
            }
        }
        return new Outcome(profile, List.copyOf(errors), warnings);
    }

    private static PrePopulatedValidationSupport correctedVitalSigns(FhirContext context, DefaultProfileValidationSupport core) {
        PrePopulatedValidationSupport corrected = new PrePopulatedValidationSupport(context);
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

    private static String label(Observation observation) {
        for (Identifier identifier : observation.getIdentifier()) {
            if (identifier.hasValue()) {
                return (identifier.hasSystem() ? identifier.getSystem() : "") + "|" + identifier.getValue();
            }
        }
        return observation.hasIdElement() && observation.getIdElement().hasIdPart()
                ? "Observation/" + observation.getIdElement().getIdPart() : "Observation (no identifier)";
    }
}
