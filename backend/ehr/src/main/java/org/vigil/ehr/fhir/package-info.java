/** FHIR R4 rendering of outbox items: vital-signs Observations per specific profile, Devices, summaries. Pure. */
package org.vigil.ehr.fhir;
