package org.vigil.app;

import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.client.HttpClient;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import io.nats.client.api.PublishAck;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.vigil.app.api.DeadLettersController.DeadLetterPage;
import org.vigil.app.api.DeadLettersController.DeadLetterView;
import org.vigil.telemetry.ReadingPage;
import org.vigil.telemetry.StoredReading;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A reading travels device → NATS JetStream → ingest → ClickHouse → REST API, against the real servers. */
@MicronautTest
class ReadingPathIT extends BackendTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Inject
    @Client("/")
    HttpClient http;

    private Registry registry;
    private Devices devices;
    private UUID alice;
    private UUID bob;
    private final Instant base = Instant.now().minus(2, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS);

    @BeforeAll
    void fleet() throws Exception {
        registry = Registry.newTenant("path");
        alice = registry.patient("Alice Example");
        bob = registry.patient("Bob Example");
        UUID cuff = registry.device("blood-pressure-cuff", "CUFF-1");
        UUID scale = registry.device("scale", "SCALE-1");
        registry.assign(cuff, alice, null, null);
        // The scale moved from Alice to Bob an hour ago.
        registry.assign(scale, alice, base.minus(30, ChronoUnit.DAYS), base.plus(1, ChronoUnit.HOURS));
        registry.assign(scale, bob, base.plus(1, ChronoUnit.HOURS), null);
        devices = new Devices(registry.tenant());
    }

    @AfterAll
    void close() throws Exception {
        devices.close();
        registry.close();
    }

    private List<StoredReading> readings(UUID patient, String code) {
        String uri = "/api/v1/patients/" + patient + "/readings?from=" + base.minus(1, ChronoUnit.DAYS) + "&to=" + Instant.now().plusSeconds(60)
                + (code == null ? "" : "&code=" + code);
        return http.toBlocking().retrieve(get(uri, registry.tenant()), ReadingPage.class).items();
    }

    @Test
    void publishedReadingIsQueryableThroughTheApi() throws Exception {
        devices.bloodPressure("CUFF-1", 142, 91, base.plusMillis(250));
        List<StoredReading> rows = Eventually.await(WAIT, () -> readings(alice, "85354-9"), r -> r.size() == 2, "BP components");
        Map<String, StoredReading> byCode = rows.stream().collect(Collectors.toMap(StoredReading::code, r -> r));
        assertEquals(142.0, byCode.get("8480-6").value());
        assertEquals(91.0, byCode.get("8462-4").value());
        assertEquals("mm[Hg]", byCode.get("8480-6").unit());
        assertEquals("85354-9", byCode.get("8480-6").panel());
        assertEquals(base.plusMillis(250), byCode.get("8480-6").effective(), "millisecond precision survives");
        assertEquals("CUFF-1", byCode.get("8480-6").device());
        assertEquals(byCode.get("8480-6").readingId(), byCode.get("8462-4").readingId(), "components share the reading id");

        List<StoredReading> latest = http.toBlocking().retrieve(get("/api/v1/patients/" + alice + "/latest", registry.tenant()),
                Argument.listOf(StoredReading.class));
        assertTrue(latest.stream().anyMatch(r -> r.code().equals("8480-6") && r.value() == 142.0), latest.toString());
    }

    @Test
    void republishedReadingIsStoredOnce() throws Exception {
        Instant t = base.plus(10, ChronoUnit.MINUTES);
        PublishAck first = devices.weight("SCALE-1", 81.4, t);
        PublishAck again = devices.weight("SCALE-1", 81.4, t);
        assertFalse(first.isDuplicate());
        assertTrue(again.isDuplicate(), "JetStream dedups on the content hash");
        // A hub that retries after the dedup window (or sends no message id) is caught by the store.
        devices.publish("SCALE-1", "{\"device\":\"SCALE-1\",\"code\":\"29463-7\",\"value\":81.40,\"unit\":\"kg\",\"effective\":\"" + t + "\"}", null);
        devices.weight("SCALE-1", 81.9, t.plusSeconds(60)); // a marker published after the retry
        Eventually.await(WAIT, () -> readings(alice, "29463-7"), r -> r.stream().anyMatch(x -> x.value() == 81.9), "marker");
        List<StoredReading> atT = readings(alice, "29463-7").stream().filter(r -> r.effective().equals(t)).toList();
        assertEquals(1, atT.size(), atT.toString());
    }

    @Test
    void readingBeforeReassignmentBelongsToTheEarlierPatient() throws Exception {
        devices.weight("SCALE-1", 70.1, base.plus(50, ChronoUnit.MINUTES));  // Alice's
        devices.weight("SCALE-1", 95.2, base.plus(70, ChronoUnit.MINUTES));  // Bob's
        Eventually.await(WAIT, () -> readings(bob, "29463-7"), r -> r.size() == 1, "Bob's weight");
        assertEquals(95.2, readings(bob, "29463-7").get(0).value());
        assertTrue(readings(alice, "29463-7").stream().anyMatch(r -> r.value() == 70.1));
        assertTrue(readings(alice, "29463-7").stream().noneMatch(r -> r.value() == 95.2));
    }

    @Test
    void badInputBecomesDeadLettersWithReasons() throws Exception {
        devices.publish("CUFF-1", "{\"device\":\"CUFF-1\",\"code\":", null);
        devices.weight("NO-SUCH-SCALE", 80.0, base);
        devices.weight("SCALE-1", 80.0, base.minus(400, ChronoUnit.DAYS)); // before any assignment
        // °F in a Celsius field: 98.6 Cel is impossible, not converted.
        devices.publish("CUFF-1", "{\"device\":\"CUFF-1\",\"code\":\"8310-5\",\"value\":98.6,\"unit\":\"Cel\",\"effective\":\"" + base + "\"}", null);

        List<DeadLetterView> letters = Eventually.await(WAIT,
                () -> http.toBlocking().retrieve(get("/api/v1/dead-letters", registry.tenant()), DeadLetterPage.class).items(),
                l -> l.size() >= 4, "four dead letters");
        Map<String, DeadLetterView> byCode = letters.stream().collect(Collectors.toMap(DeadLetterView::errorCode, d -> d, (a, b) -> a));
        assertEquals(Set.of("MALFORMED_JSON", "UNKNOWN_DEVICE", "UNASSIGNED_DEVICE", "IMPLAUSIBLE_VALUE"), byCode.keySet());
        assertEquals("{\"device\":\"CUFF-1\",\"code\":", byCode.get("MALFORMED_JSON").payload(), "raw bytes are kept");
        assertTrue(byCode.get("UNKNOWN_DEVICE").reason().contains("NO-SUCH-SCALE"), byCode.get("UNKNOWN_DEVICE").reason());
        assertTrue(byCode.get("UNASSIGNED_DEVICE").reason().contains("not assigned"), byCode.get("UNASSIGNED_DEVICE").reason());
        assertTrue(byCode.get("IMPLAUSIBLE_VALUE").reason().contains("physiologically impossible"), byCode.get("IMPLAUSIBLE_VALUE").reason());
        List<DeadLetterView> unknown = http.toBlocking().retrieve(get("/api/v1/dead-letters?code=UNKNOWN_DEVICE&format=canonical",
                registry.tenant()), DeadLetterPage.class).items();
        assertEquals(List.of("UNKNOWN_DEVICE"), unknown.stream().map(DeadLetterView::errorCode).toList(), "filtered by code");
        assertTrue(byCode.get("MALFORMED_JSON").subject().startsWith("vigil." + registry.tenant() + ".ingest."));
    }

    @Test
    void readingsArePagedWithoutGapsOrOverlapInEitherOrder() throws Exception {
        UUID carol = registry.patient("Carol Example");
        UUID thermometer = registry.device("thermometer", "THERMO-1");
        registry.assign(thermometer, carol, null, null);
        for (int i = 0; i < 25; i++) {
            String json = "{\"device\":\"THERMO-1\",\"code\":\"8310-5\",\"value\":" + (36.5 + i / 100.0)
                    + ",\"unit\":\"Cel\",\"effective\":\"" + base.plusSeconds(i) + "\"}";
            devices.publish("THERMO-1", json, null);
        }
        Eventually.await(WAIT, () -> readings(carol, null), r -> r.size() == 25, "25 temperatures");
        List<StoredReading> oldest = pages(carol, "oldest");
        List<StoredReading> newest = pages(carol, "newest");
        assertEquals(25, oldest.stream().map(StoredReading::readingId).distinct().count(), "no gap, no overlap");
        assertEquals(base, oldest.get(0).effective());
        assertEquals(base.plusSeconds(24), newest.get(0).effective(), "the care team's order starts at the latest");
        List<StoredReading> reversed = new ArrayList<>(oldest);
        Collections.reverse(reversed);
        assertEquals(reversed, newest);

        String window = "/api/v1/patients/" + carol + "/readings?limit=10&from=" + base + "&to=" + base.plusSeconds(3600);
        String newestCursor = http.toBlocking().retrieve(get(window + "&order=newest", registry.tenant()), ReadingPage.class).next();
        HttpClientResponseException mixed = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .retrieve(get(window + "&cursor=" + newestCursor, registry.tenant()), ReadingPage.class));
        assertEquals(HttpStatus.BAD_REQUEST, mixed.getStatus());
        assertTrue(mixed.getResponse().getBody(String.class).orElse("").contains("newest-first order"),
                String.valueOf(mixed.getResponse().getBody(String.class)));
        HttpClientResponseException unknown = assertThrows(HttpClientResponseException.class, () -> http.toBlocking()
                .retrieve(get(window + "&order=sideways", registry.tenant()), ReadingPage.class));
        assertEquals(HttpStatus.BAD_REQUEST, unknown.getStatus());
    }

    /** Every reading of the window, page by page (10 a page), in the order asked for. */
    private List<StoredReading> pages(UUID patient, String order) {
        List<StoredReading> all = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            String uri = "/api/v1/patients/" + patient + "/readings?limit=10&order=" + order + "&from=" + base
                    + "&to=" + base.plusSeconds(3600) + (cursor == null ? "" : "&cursor=" + cursor);
            ReadingPage page = http.toBlocking().retrieve(get(uri, registry.tenant()), ReadingPage.class);
            all.addAll(page.items());
            cursor = page.next();
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        return all;
    }
}
