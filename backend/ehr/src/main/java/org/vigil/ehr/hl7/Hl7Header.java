package org.vigil.ehr.hl7;

import org.vigil.ehr.EhrEndpoint;

import java.util.Set;

/**
 * The MSH values of one receiver. The application and facility names are HL7 HD values in ER7 form: "EPIC" is a
 * namespace id, "VIGIL^1.2.840.114350^ISO" a namespace id with a universal id and its type; any other delimiter
 * in them is escaped, never interpreted.
 *
 * @param version      MSH-12, "2.5.1" or "2.6"
 * @param processingId MSH-11, "P" (production) or "T" (training/test: a sandbox endpoint)
 */
public record Hl7Header(String sendingApplication, String sendingFacility, String receivingApplication,
                        String receivingFacility, String version, String processingId) {

    static final Set<String> VERSIONS = Set.of("2.5.1", "2.6");

    public Hl7Header {
        if (!VERSIONS.contains(version)) {
            throw new IllegalArgumentException("HL7 version " + version + " is not one Vigil sends; use 2.5.1 or 2.6.");
        }
        if (!processingId.equals("P") && !processingId.equals("T")) {
            throw new IllegalArgumentException("Processing id " + processingId + " is neither P (production) nor T (test).");
        }
    }

    /** The header an endpoint's configuration gives: T for a sandbox, so a test EHR never files it as real. */
    public static Hl7Header of(EhrEndpoint.Mllp mllp, boolean sandbox) {
        return new Hl7Header(mllp.sendingApplication(), mllp.sendingFacility(), mllp.receivingApplication(),
                mllp.receivingFacility(), mllp.version(), sandbox ? "T" : "P");
    }
}
