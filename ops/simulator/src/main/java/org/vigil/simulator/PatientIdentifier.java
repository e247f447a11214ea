package org.vigil.simulator;

/** An identifier an external system issued for a patient, e.g. an EHR's MRN (system = the EHR's OID). */
public record PatientIdentifier(String system, String value) {
}
