package org.vigil.edge.mllp;

import ca.uhn.hl7v2.DefaultHapiContext;
import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.HapiContext;
import ca.uhn.hl7v2.Location;
import ca.uhn.hl7v2.Severity;
import ca.uhn.hl7v2.model.Message;
import ca.uhn.hl7v2.parser.CanonicalModelClassFactory;
import ca.uhn.hl7v2.parser.Parser;
import ca.uhn.hl7v2.validation.ValidationException;
import ca.uhn.hl7v2.validation.builder.support.NoValidationBuilder;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.openehealth.ipf.gazelle.validation.core.CachingGazelleProfileRule;
import org.openehealth.ipf.gazelle.validation.profile.pcd.PcdProfile;
import org.openehealth.ipf.gazelle.validation.profile.store.GazelleProfileStore;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.hl7.Hl7Location;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks an ORU^R01 against the IHE PCD-01 conformance profile (IPF's Gazelle rule with the Gazelle PCD-01
 * "device observation filter" profile, the one IPF's own PCD-01 endpoint picks for an ORU^R01). Only the profile
 * is checked: HAPI's default validation is off, as in the decoder, because it rejects messages gateways really send.
 * <p>
 * It lives at the edge, not in the decoder, because only the edge has someone to tell (the ACK), and it needs
 * JAXB and the profile jars the ingest consumer has no use for.
 */
@Singleton
public class Pcd01Conformance {
    /** Enough to fix a sender; a badly broken message would otherwise produce dozens. */
    static final int MAX_VIOLATIONS = 10;

    private final Parser parser;
    private final CachingGazelleProfileRule rule = new CachingGazelleProfileRule(PcdProfile.PCD_1_ORU_R01_DEV_OBS_FILTER);

    public Pcd01Conformance() {
        HapiContext context = new DefaultHapiContext(new CanonicalModelClassFactory("2.6"));
        context.setValidationRuleBuilder(new NoValidationBuilder());
        context.getParserConfiguration().setValidating(false);
        context.setProfileStore(new GazelleProfileStore());
        this.parser = context.getPipeParser();
    }

    /** The profile violations of a message (segments separated by CR), at most {@link #MAX_VIOLATIONS}; empty when it conforms. */
    public List<AckError> violations(String text) {
        Message message;
        try {
            message = parser.parse(text);
        } catch (HL7Exception e) {
            return List.of(error(e.getMessageWithoutLocation(), e.getLocation(), e.getErrorCode()));
        } catch (RuntimeException e) {
            return List.of(new AckError(ErrorCode.SCHEMA_VIOLATION, "The message cannot be parsed for the PCD-01 profile check: "
                    + e + ".", null, Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR, false));
        }
        List<AckError> errors = new ArrayList<>();
        for (ValidationException v : rule.apply(message)) {
            if (v.getSeverity() == Severity.ERROR && errors.size() < MAX_VIOLATIONS) {
                errors.add(error(v.getMessageWithoutLocation(), v.getLocation(), v.getErrorCode()));
            }
        }
        return errors;
    }

    private static AckError error(String message, @Nullable Location l, int hl7Code) {
        String location = location(l);
        String reason = "IHE PCD-01 profile: " + message.strip() + (message.strip().endsWith(".") ? "" : ".");
        return new AckError(ErrorCode.SCHEMA_VIOLATION, reason, location, hl7Code(message, hl7Code), false);
    }

    /**
     * The Gazelle rule reports most violations with 207 (application internal error), which tells a sender to
     * retry; a profile violation needs the message fixed, so those become 100 (a segment the profile does not
     * allow) or 101 (a required element missing or wrong).
     */
    private static int hl7Code(String message, int code) {
        if (code > 0 && code != AckError.APPLICATION_INTERNAL_ERROR) {
            return code;
        }
        return message.contains("appears in the message but not in the profile")
                ? Hl7ErrorCodes.SEGMENT_SEQUENCE_ERROR : Hl7ErrorCodes.REQUIRED_FIELD_MISSING;
    }

    @Nullable
    private static String location(@Nullable Location l) {
        if (l == null || l.isUnknown() || l.getSegmentName() == null || l.getSegmentName().isEmpty()) {
            return null;
        }
        int occurrence = l.getSegmentRepetition() > 1 ? l.getSegmentRepetition() : 0;
        return new Hl7Location(l.getSegmentName(), occurrence, Math.max(0, l.getField()), Math.max(0, l.getComponent())).toString();
    }
}
