package org.vigil.app;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.alerting.AlertFeed;
import org.vigil.alerting.AlertSignal;
import org.vigil.core.TenantId;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live alert signals through PostgreSQL NOTIFY: an alert opened by a published reading reaches its own tenant's
 * subscribers within seconds and never another's; people's actions and changes made over any other connection are
 * signalled; the canary is not; a lost connection comes back with a resync.
 */
@MicronautTest
class AlertFeedIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** How long "nothing arrives" is watched for. */
    private static final Duration QUIET = Duration.ofSeconds(2);

    @Inject
    @Client("/")
    HttpClient http;
    @Inject
    AlertFeed feed;

    private Registry a;
    private Registry b;
    private TenantId tenantA;
    private TenantId tenantB;
    private UUID patientA;
    private UUID patientB;
    private UUID canaryA;
    private Devices devicesA;
    private Devices devicesB;
    private final List<AutoCloseable> subscriptions = new ArrayList<>();

    @BeforeAll
    void fleet() throws Exception {
        a = Registry.newTenant("feed-a");
        b = Registry.newTenant("feed-b");
        tenantA = new TenantId(a.tenant());
        tenantB = new TenantId(b.tenant());
        patientA = a.patient("Alma of A");
        a.assign(a.device("blood-pressure-cuff", "FEED-CUFF"), patientA, null, null);
        // B's cuff has the same serial: device identifiers are per tenant.
        patientB = b.patient("Bert of B");
        b.assign(b.device("blood-pressure-cuff", "FEED-CUFF"), patientB, null, null);
        canaryA = a.patient("Canary (synthetic)");
        a.exec("UPDATE patients SET synthetic = true WHERE patient_id = ?", canaryA);
        String config = """
                programs:
                  htn:
                    thresholds:
                      - { code: 8480-6, high: 160, criticalHigh: 180 }
                    suppression: { persistReadings: 1, hysteresisPercent: 3, resolveAfter: 1h, cooldown: 4h }
                defaultPrograms: [ htn ]
                """;
        for (String t : List.of(a.tenant(), b.tenant())) {
            http.toBlocking().exchange(HttpRequest.PUT("/api/v1/alert-config", config).contentType("application/yaml").bearerAuth(token(t)));
        }
        devicesA = new Devices(a.tenant());
        devicesB = new Devices(b.tenant());
    }

    @AfterAll
    void close() throws Exception {
        for (AutoCloseable s : subscriptions) {
            s.close();
        }
        devicesA.close();
        devicesB.close();
        a.close();
        b.close();
    }

    private List<AlertSignal> subscribe(TenantId tenant) {
        List<AlertSignal> heard = new CopyOnWriteArrayList<>();
        subscriptions.add(feed.subscribe(tenant, heard::add));
        return heard;
    }

    private static AlertSignal await(List<AlertSignal> heard, Predicate<AlertSignal> which, String what) {
        return Eventually.await(WAIT, () -> heard.stream().filter(which).findFirst().orElse(null), s -> s != null, what);
    }

    private static void quiet() throws InterruptedException {
        Thread.sleep(QUIET.toMillis());
    }

    /** An alert row written over a connection of its own, as another backend process would. */
    private UUID insertAlert(Registry r, UUID patient, boolean canary) throws Exception {
        UUID id = UUID.randomUUID();
        Timestamp now = Timestamp.from(Instant.now());
        r.exec("""
                INSERT INTO alerts (tenant_id, alert_id, patient_id, alert_key, rule_id, program, status, severity, summary, count,
                    first_seen, last_seen, opened_at, updated_at, source_seq, canary)
                VALUES (?, ?, ?, ?, 'band:8867-4', 'htn', 'open', 'critical', 'Heart rate above the limit', 1, ?, ?, ?, ?, 0, ?)""",
                r.tenant(), id, patient, "band:feed-" + id + "/high", now, now, now, now, canary);
        return id;
    }

    @Test
    void anAlertOpenedByAReadingReachesItsTenantsSubscriberWithinSecondsAndNoOther() throws Exception {
        List<AlertSignal> ofA = subscribe(tenantA);
        List<AlertSignal> ofB = subscribe(tenantB);
        long t0 = System.nanoTime();
        devicesA.bloodPressure("FEED-CUFF", 195, 90, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        AlertSignal opened = await(ofA, s -> s.kind() == AlertSignal.Kind.OPENED && patientA.equals(s.patientId()), "A's alert");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("AlertFeedIT: reading published -> alert signalled in " + ms + " ms");
        assertTrue(ms < 5_000, "published -> signalled in " + ms + " ms");
        assertEquals(tenantA, opened.tenant());
        assertEquals("open", opened.status());
        assertEquals(1, a.count("SELECT count(*) FROM alerts WHERE alert_id = ? AND patient_id = ?", opened.alertId(), patientA));

        devicesB.bloodPressure("FEED-CUFF", 199, 92, Instant.now().truncatedTo(ChronoUnit.MILLIS));
        await(ofB, s -> s.kind() == AlertSignal.Kind.OPENED && patientB.equals(s.patientId()), "B's alert");
        quiet();
        assertTrue(ofA.stream().allMatch(s -> s.tenant().equals(tenantA) && !patientB.equals(s.patientId())), ofA.toString());
        assertTrue(ofB.stream().allMatch(s -> s.tenant().equals(tenantB) && !patientA.equals(s.patientId())), ofB.toString());
    }

    @Test
    void peoplesActionsAndChangesMadeByAnyOtherConnectionAreSignalled() throws Exception {
        List<AlertSignal> ofA = subscribe(tenantA);
        UUID alert = insertAlert(a, patientA, false);
        await(ofA, s -> alert.equals(s.alertId()) && s.kind() == AlertSignal.Kind.OPENED, "the other connection's new alert");
        http.toBlocking().exchange(HttpRequest.POST("/api/v1/alerts/" + alert + "/acknowledge", Map.of("note", "calling"))
                .bearerAuth(token(a.tenant())));
        await(ofA, s -> alert.equals(s.alertId()) && s.kind() == AlertSignal.Kind.CHANGED && "acknowledged".equals(s.status()),
                "the acknowledgement");
        a.exec("UPDATE alerts SET status = 'resolved', resolved_at = now(), resolved_by = 'elsewhere' WHERE alert_id = ?", alert);
        await(ofA, s -> alert.equals(s.alertId()) && "resolved".equals(s.status()), "the resolution made over another connection");
    }

    @Test
    void theCanaryIsNeverSignalled() throws Exception {
        List<AlertSignal> ofA = subscribe(tenantA);
        UUID canary = insertAlert(a, canaryA, true);
        a.exec("UPDATE alerts SET count = count + 1 WHERE alert_id = ?", canary);
        UUID after = insertAlert(a, patientA, false);
        // Notifications arrive in commit order: once the later alert is heard, the canary's would have been.
        await(ofA, s -> after.equals(s.alertId()), "the alert committed after the canary's");
        assertTrue(ofA.stream().noneMatch(s -> canary.equals(s.alertId())), ofA.toString());
    }

    @Test
    void aFailingSubscriberDoesNotStopAnotherOne() throws Exception {
        List<AlertSignal> tried = new CopyOnWriteArrayList<>();
        subscriptions.add(feed.subscribe(tenantA, s -> {
            tried.add(s);
            throw new IllegalStateException("a detached view");
        }));
        List<AlertSignal> ofA = subscribe(tenantA);
        UUID first = insertAlert(a, patientA, false);
        UUID second = insertAlert(a, patientA, false);
        await(ofA, s -> second.equals(s.alertId()), "the second alert");
        await(tried, s -> second.equals(s.alertId()), "the failing subscriber's next signal");
        assertTrue(ofA.stream().anyMatch(s -> first.equals(s.alertId())));
    }

    @Test
    void afterTheConnectionIsLostEverySubscriberResyncsAndSignalsFlowAgain() throws Exception {
        List<AlertSignal> ofA = subscribe(tenantA);
        List<AlertSignal> ofB = subscribe(tenantB);
        int killed;
        // The application role may end its own sessions: no superuser needed.
        try (Connection c = DriverManager.getConnection(StackEnv.pgUrl(), StackEnv.appUser(), StackEnv.appPassword());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity "
                     + "WHERE application_name = 'vigil-alert-feed'")) {
            rs.next();
            killed = rs.getInt(1);
        }
        assertTrue(killed >= 1, "the feed's connection was found and ended");
        AlertSignal resyncA = await(ofA, s -> s.kind() == AlertSignal.Kind.RESYNC, "A's resync");
        AlertSignal resyncB = await(ofB, s -> s.kind() == AlertSignal.Kind.RESYNC, "B's resync");
        assertEquals(tenantA, resyncA.tenant());
        assertEquals(tenantB, resyncB.tenant());
        UUID after = insertAlert(b, patientB, false);
        await(ofB, s -> after.equals(s.alertId()), "a signal after the reconnect");
        assertTrue(feed.listening());
    }
}
