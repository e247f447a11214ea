package org.vigil.ehr;

import org.junit.jupiter.api.Test;
import org.vigil.alerting.config.ConfigProblem;
import org.vigil.alerting.config.ConfigRejected;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class EndpointReaderTest {
    private static final TenantId T = new TenantId("acme");

    @Test
    void readsAFhirEndpoint() {
        EhrEndpoint e = EndpointReader.read(T, "chart", """
                kind: fhir
                sandbox: true
                fhir:
                  base-url: http://127.0.0.1:8080/fhir/
                  token-url: http://127.0.0.1:8080/auth/token
                  client-id: vigil
                  algorithm: ES384
                  patient-identifier-system: urn:oid:1.2.3
                  bundle-size: 50
                send:
                  readings: all
                  summaries: daily
                  summary-as: report
                delivery:
                  timeout: 3s
                  backoff-min: 1s
                  max-failures: 2
                """, 1);
        assertEquals(EhrEndpoint.Kind.FHIR, e.kind());
        assertEquals("http://127.0.0.1:8080/fhir", e.fhir().baseUrl().toString());
        assertEquals(50, e.fhir().bundleSize());
        assertEquals(EhrEndpoint.Readings.ALL, e.send().readings());
        assertEquals(EhrEndpoint.SummaryShape.REPORT, e.send().summaryAs());
        assertEquals(Duration.ofSeconds(3), e.delivery().timeout());
    }

    @Test
    void readsAnMllpEndpointWithSafeDefaults() {
        EhrEndpoint e = EndpointReader.read(T, "feed", """
                kind: mllp
                mllp:
                  host: 127.0.0.1
                  port: 2575
                  receiving-application: EPIC
                  receiving-facility: GENHOSP
                  version: "2.6"
                  window: 10
                  patient-identifier-system: urn:oid:1.2.3
                  assigning-authority: GENHOSP
                """, 1);
        assertEquals("2.6", e.mllp().version());
        assertEquals(EhrEndpoint.Readings.NONE, e.send().readings(), "nothing is sent until the document says what");
    }

    @Test
    void reportsEveryProblemAtItsLine() {
        ConfigRejected r = assertThrows(ConfigRejected.class, () -> EndpointReader.read(T, "x", """
                kind: mllp
                mllp:
                  host: 127.0.0.1
                  port: 99999
                  version: 2.4
                  colour: blue
                send:
                  readings: sometimes
                """, 1));
        List<Integer> lines = r.problems().stream().map(ConfigProblem::line).sorted().toList();
        assertEquals(List.of(3, 3, 3, 3, 4, 5, 6, 8), lines, r.problems().toString());
    }
}
