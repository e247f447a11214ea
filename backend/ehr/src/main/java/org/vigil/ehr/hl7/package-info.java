/** HL7 v2 rendering of outbox items (ORU^R01) and parsing of acknowledgements. Pure. */
package org.vigil.ehr.hl7;
