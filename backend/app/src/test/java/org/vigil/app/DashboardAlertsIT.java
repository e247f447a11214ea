package org.vigil.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.alerting.AlertConfig;
import org.vigil.alerting.AlertConfigs;
import org.vigil.alerting.Alerts;
import org.vigil.alerting.CircuitStatus;
import org.vigil.alerting.Thresholds;
import org.vigil.core.TenantId;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the dashboard reads of the alert circuit: the queue page by page with its counts, a patient's history, the
 * thresholds that apply to a patient, the tenant's programs and device watch, and the evaluator's lag. Alerts are
 * written as fixtures (the evaluator's own path is AlertCircuitIT's), so orders and counts are exact.
 */
@MicronautTest
class DashboardAlertsIT extends BackendTestSupport {
    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    Alerts alerts;
    @Inject
    AlertConfigs configs;
    @Inject
    CircuitStatus circuit;

    private Registry a;
    private Registry b;
    private TenantId tenantA;
    private TenantId tenantB;
    private UUID ada;
    private UUID bob;
    private UUID cyd;
    private UUID canaryPatient;
    private UUID ofB;
    private final List<Fixture> fixtures = new ArrayList<>();
    private final Instant t0 = Instant.now().minus(2, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS);

    private record Fixture(UUID id, UUID patient, String severity, String status, Instant openedAt, String program,
                           String assignee) {
        int rank() {
            return severity.equals("critical") ? 0 : severity.equals("warning") ? 1 : 2;
        }
    }

    /** PostgreSQL orders uuids as unsigned bytes, as their text sorts; Java's UUID.compareTo is signed. */
    private static final Comparator<Fixture> QUEUE = Comparator.comparingInt(Fixture::rank)
            .thenComparing(Fixture::openedAt).thenComparing(f -> f.id().toString());

    @BeforeAll
    void seed() throws Exception {
        a = Registry.newTenant("dash-alerts-a");
        b = Registry.newTenant("dash-alerts-b");
        tenantA = new TenantId(a.tenant());
        tenantB = new TenantId(b.tenant());
        ada = a.patient("Ada Lovelace");
        bob = a.patient("Bob Babbage");
        cyd = a.patient("Cyd Charisse");
        canaryPatient = a.patient("Canary (synthetic)");
        a.exec("UPDATE patients SET synthetic = true WHERE patient_id = ?", canaryPatient);
        ofB = b.patient("Zed of B");
        String[] severities = {"critical", "warning", "info"};
        String[] statuses = {"open", "open", "acknowledged", "resolved"};
        UUID[] patients = {ada, bob, cyd};
        // 36 alerts: 27 unresolved, some sharing an opening time so the id decides their order.
        for (int i = 0; i < 36; i++) {
            fixtures.add(alert(a, patients[i % 3], severities[i % 3 == 0 ? 0 : i % 5 == 0 ? 2 : 1], statuses[i % 4],
                    t0.plusSeconds(60L * (i / 2)), i % 2 == 0 ? "htn" : "chf", i % 7 == 0 ? "nurse.joy" : null, false));
        }
        alert(a, canaryPatient, "critical", "open", t0, "canary", null, true);
        for (int i = 0; i < 4; i++) {
            alert(b, ofB, "critical", "open", t0.plusSeconds(i), "htn", null, false);
        }
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", """
                programs:
                  htn:
                    thresholds:
                      - { code: 8480-6, low: 90, high: 160, criticalHigh: 180 }
                      - { code: 8462-4, high: 100, criticalHigh: 120 }
                  chf:
                    thresholds:
                      - { code: 8867-4, criticalLow: 40, high: 110 }
                      - { code: 8480-6, high: 140 }
                    trends:
                      - { kind: rise, code: 29463-7, by: 2, unit: "[lb_av]", within: 1d }
                defaultPrograms: [ htn ]
                devices: { silentAfter: 12h, batteryBelowPercent: 20 }
                """).contentType("application/yaml").bearerAuth(token(a.tenant())));
        http.toBlocking().exchange(HttpRequest.PUT("/api/v1/patients/" + bob + "/alert-settings", """
                programs: [ chf, htn ]
                thresholds:
                  - { code: 8462-4, high: 90 }
                """).contentType("application/yaml").bearerAuth(token(a.tenant())));
    }

    @AfterAll
    void close() throws Exception {
        a.close();
        b.close();
    }

    private Fixture alert(Registry r, UUID patient, String severity, String status, Instant openedAt, String program,
                          String assignee, boolean canary) throws Exception {
        UUID id = UUID.randomUUID();
        r.exec("""
                INSERT INTO alerts (tenant_id, alert_id, patient_id, alert_key, rule_id, program, status, severity, code, unit,
                    last_value, summary, count, first_seen, last_seen, opened_at, updated_at, resolved_at, assignee, source_seq, canary)
                VALUES (?, ?, ?, ?, 'band:8480-6', ?, ?, ?, '8480-6', 'mm[Hg]', 170, 'Systolic above the limit', 1, ?, ?, ?, ?, ?, ?, 0, ?)""",
                r.tenant(), id, patient, "band:test-" + id + "/high", program, status, severity,
                java.sql.Timestamp.from(openedAt), java.sql.Timestamp.from(openedAt), java.sql.Timestamp.from(openedAt),
                java.sql.Timestamp.from(openedAt), status.equals("resolved") ? java.sql.Timestamp.from(openedAt.plusSeconds(30)) : null,
                assignee, canary);
        return new Fixture(id, patient, severity, status, openedAt, program, assignee);
    }

    private static Alerts.Query query(String status, String severity, UUID patient, String program, String assignee) {
        return new Alerts.Query(status, severity, patient, program, assignee, 100);
    }

    private List<UUID> expected(java.util.function.Predicate<Fixture> which) {
        return fixtures.stream().filter(which).sorted(QUEUE).map(Fixture::id).toList();
    }

    private List<UUID> allPages(TenantId tenant, Alerts.Query q, int size) {
        List<UUID> out = new ArrayList<>();
        for (int offset = 0; ; offset += size) {
            List<Alerts.AlertView> page = alerts.page(tenant, q, offset, size);
            page.forEach(v -> out.add(v.alertId()));
            if (page.size() < size) {
                return out;
            }
        }
    }

    @Test
    void pagesFollowTheQueueOrderAndTogetherAreWhatCountCounts() {
        Alerts.Query unresolved = query(null, null, null, null, null);
        List<UUID> want = expected(f -> !f.status().equals("resolved"));
        assertEquals(27, want.size());
        assertEquals(want, allPages(tenantA, unresolved, 7), "pages of 7, concatenated");
        assertEquals(want.size(), alerts.count(tenantA, unresolved));
        assertEquals(want.subList(0, 10), alerts.list(tenantA, new Alerts.Query(null, null, null, null, null, 10))
                .stream().map(Alerts.AlertView::alertId).toList(), "list is the first page");
        assertEquals(List.of(), alerts.page(tenantA, unresolved, 27, 50), "past the end");
    }

    @Test
    void everyFilterAppliesToPagesAndCountsAlike() {
        Map<Alerts.Query, java.util.function.Predicate<Fixture>> cases = Map.of(
                query("open", null, null, null, null), f -> f.status().equals("open"),
                query(null, "critical", null, null, null), f -> !f.status().equals("resolved") && f.severity().equals("critical"),
                query(null, null, bob, null, null), f -> !f.status().equals("resolved") && f.patient().equals(bob),
                query(null, null, null, "chf", null), f -> !f.status().equals("resolved") && f.program().equals("chf"),
                query(null, null, null, null, "nurse.joy"), f -> !f.status().equals("resolved") && "nurse.joy".equals(f.assignee()),
                query("acknowledged", "warning", null, "htn", null),
                f -> f.status().equals("acknowledged") && f.severity().equals("warning") && f.program().equals("htn"));
        cases.forEach((q, which) -> {
            List<UUID> want = expected(which);
            assertFalse(want.isEmpty(), "the fixtures exercise " + q);
            assertEquals(want, allPages(tenantA, q, 4), q.toString());
            assertEquals(want.size(), alerts.count(tenantA, q), q.toString());
        });
    }

    @Test
    void countsPerSeverityIgnoreTheSeverityFilterButNotTheOthers() {
        Map<String, Integer> all = alerts.countsBySeverity(tenantA, query(null, "info", null, null, null));
        assertEquals(List.of("critical", "warning", "info"), List.copyOf(all.keySet()));
        for (String s : all.keySet()) {
            assertEquals(expected(f -> !f.status().equals("resolved") && f.severity().equals(s)).size(), all.get(s), s);
        }
        Map<String, Integer> ofCyd = alerts.countsBySeverity(tenantA, query("open", "critical", cyd, null, null));
        for (String s : ofCyd.keySet()) {
            assertEquals(expected(f -> f.status().equals("open") && f.severity().equals(s) && f.patient().equals(cyd)).size(),
                    ofCyd.get(s), s);
        }
    }

    @Test
    void anyStatusIsAPatientsWholeHistory() {
        Alerts.Query history = query(Alerts.Query.ANY_STATUS, null, ada, null, null);
        List<UUID> want = expected(f -> f.patient().equals(ada));
        assertTrue(fixtures.stream().anyMatch(f -> f.patient().equals(ada) && f.status().equals("resolved")));
        assertEquals(want, allPages(tenantA, history, 5));
        assertEquals(want.size(), alerts.count(tenantA, history));
        // and through the REST API, which accepts it too
        String json = http.toBlocking().retrieve(get("/api/v1/alerts?status=any&patient=" + ada + "&limit=1000", a.tenant()));
        assertEquals(want.size(), json.split("\"alertId\"").length - 1);
    }

    @Test
    void theQueueNamesEachPatientAndTheApiCarriesTheName() {
        List<Alerts.AlertView> page = alerts.page(tenantA, query(null, null, null, null, null), 0, 50);
        for (Alerts.AlertView v : page) {
            String name = v.patientId().equals(ada) ? "Ada Lovelace" : v.patientId().equals(bob) ? "Bob Babbage" : "Cyd Charisse";
            assertEquals(name, v.patientName());
        }
        String json = http.toBlocking().retrieve(get("/api/v1/alerts?patient=" + bob, a.tenant()));
        assertTrue(json.contains("\"patientName\":\"Bob Babbage\""), json);
        assertEquals("Bob Babbage", alerts.detail(tenantA, page.stream().filter(v -> v.patientId().equals(bob)).findFirst()
                .orElseThrow().alertId()).orElseThrow().alert().patientName());
    }

    @Test
    void theCanaryIsNeverInTheQueueNorItsCounts() {
        assertEquals(0, alerts.count(tenantA, query(null, null, canaryPatient, null, null)));
        assertEquals(0, alerts.count(tenantA, query(Alerts.Query.ANY_STATUS, null, null, "canary", null)));
        assertEquals(expected(f -> !f.status().equals("resolved") && f.severity().equals("critical")).size(),
                alerts.countsBySeverity(tenantA, query(null, null, null, null, null)).get("critical"));
    }

    @Test
    void anotherTenantsAlertsNeverAppear() {
        Alerts.Query everything = query(Alerts.Query.ANY_STATUS, null, null, null, null);
        assertEquals(4, alerts.count(tenantB, everything));
        assertTrue(alerts.page(tenantB, everything, 0, 100).stream().allMatch(v -> v.patientId().equals(ofB)
                && v.patientName().equals("Zed of B")));
        assertEquals(Map.of("critical", 4, "warning", 0, "info", 0), alerts.countsBySeverity(tenantB, query(null, null, null, null, null)));
        // B naming A's patient finds nothing
        assertEquals(0, alerts.count(tenantB, query(Alerts.Query.ANY_STATUS, null, ada, null, null)));
        assertEquals(List.of(), alerts.page(tenantB, query(Alerts.Query.ANY_STATUS, null, ada, null, null), 0, 10));
        assertTrue(alerts.detail(tenantB, fixtures.get(0).id()).isEmpty());
    }

    @Test
    void thresholdsAreThePatientsProgramsWithTheirOwnInPlace() {
        // Ada is enrolled in nothing: the default program.
        assertEquals(List.of(new Thresholds("8462-4", "mm[Hg]", null, null, 100.0, 120.0),
                        new Thresholds("8480-6", "mm[Hg]", null, 90.0, 160.0, 180.0)),
                Eventually.await(Duration.ofSeconds(10), () -> configs.thresholds(tenantA, ada), t -> t.size() == 2, "Ada's thresholds"));
        // Bob: chf first (its 8480-6 wins over htn's), htn's diastolic replaced by his own, chf's heart rate.
        assertEquals(List.of(new Thresholds("8462-4", "mm[Hg]", null, null, 90.0, null),
                        new Thresholds("8480-6", "mm[Hg]", null, null, 140.0, null),
                        new Thresholds("8867-4", "/min", 40.0, null, 110.0, null)),
                Eventually.await(Duration.ofSeconds(10), () -> configs.thresholds(tenantA, bob), t -> t.size() == 3, "Bob's thresholds"));
        assertEquals(List.of("htn", "chf"), configs.programs(tenantA));
        assertEquals(new AlertConfig.DeviceWatch(Duration.ofHours(12), 20.0), configs.deviceWatch(tenantA));
    }

    @Test
    void aTenantWithoutAConfigurationHasTheBuiltInDefaults() {
        assertEquals(List.of("general", "hypertension", "heart-failure", "diabetes", "copd"), configs.programs(tenantB));
        assertFalse(configs.thresholds(tenantB, ofB).isEmpty());
        assertTrue(configs.thresholds(tenantB, ofB).stream().allMatch(t -> t.low() == null && t.high() == null),
                "unenrolled patients get 'general', critical limits only");
        assertEquals(new AlertConfig.DeviceWatch(Duration.ofHours(24), 15.0), configs.deviceWatch(tenantB));
    }

    @Test
    void theEvaluatorsLagIsKnownAndReachesZeroWhenItCatchesUp() throws Exception {
        UUID patient = b.patient("Lag probe");
        b.assign(b.device("scale", "LAG-SCALE"), patient, null, null);
        try (Devices devices = new Devices(b.tenant())) {
            devices.weight("LAG-SCALE", 80.5, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        }
        CircuitStatus.EvaluatorLag lag = Eventually.await(Duration.ofSeconds(20), circuit::evaluatorLag,
                l -> l.isPresent() && l.get().behind() == 0 && l.get().position() > 0, "the evaluator caught up").orElseThrow();
        assertEquals(lag.streamLast(), lag.position());
        assertEquals(Duration.ZERO, lag.lag());
        assertNull(lag.oldestPendingAt());
    }
}
