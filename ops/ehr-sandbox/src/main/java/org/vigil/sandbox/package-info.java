/** A sandbox EHR that speaks the real protocols: FHIR R4 REST behind SMART Backend Services, and HL7 v2 over MLLP. */
package org.vigil.sandbox;
