package org.vigil.app;

import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;
import org.vigil.ehr.EhrEndpoints;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The operations board's view of a tenant's EHR endpoints: health and outbox counts per endpoint. */
@MicronautTest
class EhrStatusIT extends BackendTestSupport {
    @Inject
    EhrEndpoints endpoints;

    private Registry a;
    private Registry b;
    private TenantId tenantA;
    private TenantId tenantB;
    private final Instant oldest = Instant.now().minus(Duration.ofMinutes(42));

    @Override
    public Map<String, String> getProperties() {
        Map<String, String> p = new HashMap<>(super.getProperties());
        // No dispatcher may pick the fixtures' items up and change their counts while the test reads them.
        p.put("vigil.ehr.enabled", "false");
        return p;
    }

    @BeforeAll
    void outbox() throws Exception {
        a = Registry.newTenant("ehr-status-a");
        b = Registry.newTenant("ehr-status-b");
        tenantA = new TenantId(a.tenant());
        tenantB = new TenantId(b.tenant());
        UUID p1 = a.patient("One");
        UUID p2 = a.patient("Two");
        endpoint(a, "epic", "fhir", true);
        endpoint(a, "lab", "mllp", false);
        endpoint(a, "quiet", "fhir", false);
        a.exec("UPDATE ehr_endpoints SET health = 'degraded', health_since = ?, health_detail = '503 from the server' "
                + "WHERE endpoint_id = 'epic'", Timestamp.from(oldest));
        item(a, "epic", p1, "pending", null, oldest);
        item(a, "epic", p2, "pending", null, oldest.plus(Duration.ofMinutes(10)));
        item(a, "epic", p1, "pending", null, Instant.now());
        item(a, "epic", p1, "delivered", null, oldest.minus(Duration.ofHours(1)));
        item(a, "epic", p2, "held", "consent-missing", Instant.now());
        item(a, "epic", p2, "held", "consent-missing", Instant.now());
        item(a, "epic", p1, "held", "patient-not-found", Instant.now());
        item(a, "epic", p1, "dead", "refused", Instant.now());
        item(a, "lab", p1, "dead", "rejected", Instant.now());
        item(a, "lab", p1, "delivered", null, Instant.now());
        UUID ofB = b.patient("Of B");
        endpoint(b, "epic", "fhir", false);
        for (int i = 0; i < 5; i++) {
            item(b, "epic", ofB, "pending", null, Instant.now().minus(Duration.ofDays(2)));
        }
    }

    @AfterAll
    void close() throws Exception {
        // An enabled endpoint with a placeholder document must not be left for another test's dispatchers to serve.
        a.exec("UPDATE ehr_endpoints SET enabled = false");
        a.close();
        b.close();
    }

    private static void endpoint(Registry r, String id, String kind, boolean enabled) throws Exception {
        r.exec("INSERT INTO ehr_endpoints (tenant_id, endpoint_id, kind, document, enabled, updated_by) VALUES (?, ?, ?, '{}', ?, 'test')",
                r.tenant(), id, kind, enabled);
    }

    private static void item(Registry r, String endpoint, UUID patient, String status, String reason, Instant created) throws Exception {
        UUID id = UUID.randomUUID();
        r.exec("INSERT INTO ehr_outbox (tenant_id, item_id, endpoint_id, patient_id, kind, item_key, payload, status, reason, "
                        + "created_at, next_attempt_at) VALUES (?, ?, ?, ?, 'reading', ?, '{}', ?, ?, ?, ?)",
                r.tenant(), id, endpoint, patient, id.toString(), status, reason, Timestamp.from(created), Timestamp.from(created));
    }

    @Test
    void everyEndpointWithItsHealthAndOutboxCounts() {
        List<EhrEndpoints.Status> status = endpoints.status(tenantA);
        assertEquals(List.of("epic", "lab", "quiet"), status.stream().map(EhrEndpoints.Status::id).toList());

        EhrEndpoints.Status epic = status.get(0);
        assertEquals("fhir", epic.kind());
        assertTrue(epic.enabled());
        assertEquals("degraded", epic.health());
        assertEquals("503 from the server", epic.healthDetail());
        assertEquals(oldest.toEpochMilli() / 1000, epic.healthSince().toEpochMilli() / 1000);
        assertEquals(3, epic.pending());
        assertEquals(Map.of("consent-missing", 2L, "patient-not-found", 1L), epic.held());
        assertEquals(1, epic.dead());
        assertEquals(oldest.toEpochMilli() / 1000, epic.oldestPendingAt().toEpochMilli() / 1000);
        assertTrue(epic.oldestPendingAge().compareTo(Duration.ofMinutes(41)) > 0
                && epic.oldestPendingAge().compareTo(Duration.ofMinutes(50)) < 0, epic.oldestPendingAge().toString());

        EhrEndpoints.Status lab = status.get(1);
        assertEquals("mllp", lab.kind());
        assertEquals(false, lab.enabled());
        assertEquals("unknown", lab.health());
        assertEquals(0, lab.pending());
        assertEquals(Map.of(), lab.held());
        assertEquals(1, lab.dead());
        assertNull(lab.oldestPendingAt());
        assertEquals(Duration.ZERO, lab.oldestPendingAge());

        EhrEndpoints.Status quiet = status.get(2);
        assertEquals(List.of(0L, 0L), List.of(quiet.pending(), quiet.dead()));
        assertEquals(Map.of(), quiet.held());
    }

    @Test
    void anotherTenantsEndpointsAndItemsNeverAppear() {
        List<EhrEndpoints.Status> ofB = endpoints.status(tenantB);
        assertEquals(1, ofB.size());
        assertEquals("epic", ofB.get(0).id());
        assertEquals(5, ofB.get(0).pending());
        assertEquals(Map.of(), ofB.get(0).held());
        assertEquals(0, ofB.get(0).dead());
        assertEquals("unknown", ofB.get(0).health());
        assertEquals(3, endpoints.status(tenantA).get(0).pending(), "A's same-named endpoint counts only A's items");
        assertEquals(List.of(), endpoints.status(new TenantId("ehr-status-nobody")));
    }
}
