package org.vigil.sandbox.fhir;

import org.hl7.fhir.r4.model.Resource;

/**
 * What a write did.
 *
 * @param resource a copy of the stored resource (for EXISTING: the one that matched)
 */
public record WriteResult(Outcome outcome, Resource resource) {

    public enum Outcome {
        CREATED(201, "201 Created"), UPDATED(200, "200 OK"), EXISTING(200, "200 OK");

        public final int status;
        public final String statusLine;

        Outcome(int status, String statusLine) {
            this.status = status;
            this.statusLine = statusLine;
        }
    }

    public boolean created() {
        return outcome == Outcome.CREATED;
    }
}
