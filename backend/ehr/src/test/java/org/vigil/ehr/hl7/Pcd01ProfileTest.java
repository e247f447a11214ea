package org.vigil.ehr.hl7;

import org.junit.jupiter.api.Test;
import org.vigil.core.VitalSign;
import org.vigil.edge.mllp.AckError;
import org.vigil.edge.mllp.Pcd01Conformance;
import org.vigil.ehr.Interpretation;
import org.vigil.ehr.fhir.Items;

import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Our 2.6 ORU^R01 against the IHE PCD-01 conformance profile (IPF's Gazelle rule, as the edge checks inbound
 * messages). We do not claim PCD-01, which is for device gateways and MDC codes, but a receiver built for it should
 * only miss what we leave out on purpose: MSH-15/16 (we use original acknowledgement mode), MSH-21 (so no profile
 * is claimed) and OBR-2 (an unsolicited result has no placer order, and a receiver would try to match one).
 */
class Pcd01ProfileTest {
    private static final Set<String> DELIBERATE = Set.of("Accept Acknowledgment Type", "Application Acknowledgment Type",
            "Message Profile Identifier", "Placer Order Number");
    private static final Hl7Header HEADER = new Hl7Header("VIGIL", "ACME", "EPIC", "HOSP", "2.6", "P");
    private static final Instant NOW = Instant.parse("2025-03-04T07:20:00Z");

    private final Pcd01Conformance pcd01 = new Pcd01Conformance();

    @Test
    void aFlaggedBloodPressureReadingMissesOnlyWhatWeLeaveOut() {
        String oru = OruMessages.reading(Items.reading("85354-9", Items.measurements(VitalSign.BLOOD_PRESSURE),
                List.of("irregular-pulse"), Interpretation.HIGH, Items.alert("Systolic above 160")), Items.JANE,
                "GENHOSP", HEADER, "C1", NOW);
        assertEquals(DELIBERATE, fields(pcd01.violations(oru)));
    }

    @Test
    void aSummaryMissesOnlyWhatWeLeaveOut() {
        String oru = OruMessages.summary(Items.summary(), Items.JANE, "GENHOSP", HEADER, "C1", NOW);
        assertEquals(DELIBERATE, fields(pcd01.violations(oru)));
    }

    /** "IHE PCD-01 profile: Placer Order Number must have at least 1 repetitions …" → "Placer Order Number". */
    private static Set<String> fields(List<AckError> violations) {
        return violations.stream()
                .map(v -> v.reason().replace("IHE PCD-01 profile: ", ""))
                .map(r -> r.contains(" must have") ? r.substring(0, r.indexOf(" must have")) : r)
                .collect(Collectors.toSet());
    }
}
