package org.vigil.normalize.hub;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.vigil.core.DeviceStatus;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;
import org.vigil.normalize.gatt.GattObservations;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HubEnvelopeDecoderTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-21T08:00:00Z");
    private static final TenantId ACME = new TenantId("acme");

    static Decoders decoders() {
        return new Decoders(List.of(new HubEnvelopeDecoder(JsonMapper.createDefault(), new GattObservations())),
                new Normalizer(NormalizeSettings.defaults()));
    }

    private final Decoders decoders = decoders();

    private Normalized decode(String json, Instant received) {
        return decoders.decode(new Payload(ACME, "hub", "HUB-1", json.getBytes(StandardCharsets.UTF_8), received));
    }

    @Test
    void aCellularHubReportsItselfAndSeveralMeasurementsInTheirOwnUnits() {
        Normalized n = decode("""
                {"hub":{"serial":"HUB-1","imei":"356938035643809","battery":64.5,"signal":-93,"firmware":"3.1.0",
                        "clock":"2026-11-21T08:00:00Z"},
                 "measurements":[
                   {"device":"SCALE-1","code":"29463-7","value":176.4,"unit":"lb","time":"2026-11-21T07:10:00Z"},
                   {"device":"THERMO-1","code":"8310-5","value":100.4,"unit":"[degF]","time":"2026-11-21T07:11:00Z"},
                   {"device":"GLU-1","code":"2339-0","value":6.1,"unit":"mmol/L","time":"2026-11-21T07:12:00Z"},
                   {"code":"85354-9","time":"2026-11-21T07:13:00Z","components":[
                      {"code":"8480-6","value":17.3,"unit":"kPa"},{"code":"8462-4","value":10.9,"unit":"kPa"}]}]}""", RECEIVED);
        assertEquals(List.of(), n.problems());
        assertEquals(List.of(new DeviceStatus("HUB-1", 64.5, -93, "3.1.0", RECEIVED)), n.statuses());
        List<NormalizedReading> r = n.readings();
        assertEquals(new Measurement("29463-7", 80.013694, "kg", 176.4, "lb"), r.get(0).measurements().get(0));
        assertEquals(new Measurement("8310-5", 38.0, "Cel", 100.4, "[degF]"), r.get(1).measurements().get(0));
        assertEquals(109.895, r.get(2).measurements().get(0).value(), 1e-3);
        assertEquals("HUB-1", r.get(3).device(), "a measurement without a device is the hub's own");
        assertEquals(129.76, r.get(3).measurements().get(0).value(), 0.01);
        assertEquals(Instant.parse("2026-11-21T07:10:00Z"), r.get(0).effective());
    }

    @Test
    void aSlowHubClockShiftsItsReadingsButNotTheirIdentity() {
        String body = """
                {"hub":{"serial":"HUB-1","clock":"2026-11-21T07:00:00Z"},
                 "measurements":[{"device":"SCALE-1","code":"29463-7","value":80,"unit":"kg","time":"2026-11-21T06:50:00Z"}]}""";
        NormalizedReading late = decode(body, RECEIVED).readings().get(0);
        assertEquals(Instant.parse("2026-11-21T07:50:00Z"), late.effective());
        assertEquals(Instant.parse("2026-11-21T06:50:00Z"), late.deviceTime());
        assertTrue(late.clockCorrected());
        NormalizedReading retried = decode(body, RECEIVED.plusSeconds(3)).readings().get(0);
        assertNotEquals(late.effective(), retried.effective(), "the drift is measured anew");
        assertEquals(late.contentHash(), retried.contentHash(), "but it is the same reading");
    }

    @Test
    void aClockWithinToleranceIsTrusted() {
        NormalizedReading r = decode("""
                {"hub":{"serial":"HUB-1","clock":"2026-11-21T07:59:30Z"},
                 "measurements":[{"device":"SCALE-1","code":"29463-7","value":80,"unit":"kg","time":"2026-11-21T07:50:00Z"}]}""",
                RECEIVED).readings().get(0);
        assertEquals(Instant.parse("2026-11-21T07:50:00Z"), r.effective());
        assertFalse(r.clockCorrected());
    }

    @Test
    void rawGattFromABleHubIsDecodedWithTheHubsOffset() {
        // Nordic's full blood pressure vector: 138/88 mmHg, MAP 120, pulse 60, user 1, a timestamp without a year.
        Normalized n = decode("""
                {"hub":{"serial":"HUB-1","utcOffset":"+02:00"},
                 "measurements":[{"device":"aa:bb:cc:dd:ee:ff","time":"2026-11-21T07:55:00Z",
                                  "gatt":{"characteristic":"2A35","hex":"1E 8A 00 58 00 78 00 00 00 04 11 14 29 3B 3C 00 01 27 00"}}]}""",
                RECEIVED);
        assertEquals(List.of(), n.problems(), n.problems().toString());
        NormalizedReading bp = n.readings().stream().filter(r -> r.code().equals("85354-9")).findFirst().orElseThrow();
        assertEquals(138.0, bp.measurements().stream().filter(m -> m.code().equals("8480-6")).findFirst().orElseThrow().value());
        assertTrue(bp.flags().contains("irregular-pulse"), bp.flags().toString());
        assertTrue(n.readings().stream().anyMatch(r -> r.code().equals("8867-4")), "the pulse rate is its own reading");
    }

    @Test
    void oneBadMeasurementDoesNotSpoilTheOthers() {
        Normalized n = decode("""
                {"hub":{"serial":"HUB-1","battery":140},
                 "measurements":[
                   {"device":"SCALE-1","code":"29463-7","value":80,"unit":"kg","time":"2026-11-21T07:10:00Z"},
                   {"device":"SCALE-1","code":"29463-7","value":"eighty","unit":"kg"},
                   {"device":"SCALE-1","code":"29463-7","value":80,"unit":"stone","time":"2026-11-21T07:12:00Z"},
                   {"device":"SCALE-1","gatt":{"characteristic":"2A99","hex":"00"}},
                   {"device":"SCALE-1","code":"29463-7","value":80,"unit":"kg","time":"2027-01-01T00:00:00Z"}]}""", RECEIVED);
        assertEquals(1, n.readings().size());
        assertEquals(List.of(ErrorCode.INVALID_READING, ErrorCode.INVALID_READING, ErrorCode.UNSUPPORTED_CODE,
                ErrorCode.UNSUPPORTED_UNIT, ErrorCode.CLOCK_ERROR), n.problems().stream().map(p -> p.code()).toList());
        assertEquals("/hub/battery", n.problems().get(0).location());
        assertEquals("/measurements/1/value", n.problems().get(1).location());
        assertEquals("/measurements/2", n.problems().get(3).location());
        assertEquals(null, n.statuses().get(0).batteryPercent(), "a nonsensical battery level is not recorded");
    }

    @Test
    void aHeartbeatCarriesOnlyStatus() {
        Normalized n = decode("{\"hub\":{\"imei\":\"356938035643809\",\"battery\":12,\"signal\":-110}}", RECEIVED);
        assertFalse(n.isRejected());
        assertEquals("356938035643809", n.statuses().get(0).device());
    }

    @Test
    void tooManyMeasurementsAreRefusedAsAWhole() {
        StringBuilder b = new StringBuilder("{\"hub\":{\"serial\":\"HUB-1\"},\"measurements\":[");
        for (int i = 0; i <= HubEnvelopeDecoder.MAX_MEASUREMENTS; i++) {
            b.append(i == 0 ? "" : ",").append("{\"code\":\"29463-7\",\"value\":80,\"unit\":\"kg\"}");
        }
        Normalized n = decode(b.append("]}").toString(), RECEIVED);
        assertTrue(n.isRejected());
        assertTrue(n.problems().get(0).reason().contains("Split the upload"));
    }
}
