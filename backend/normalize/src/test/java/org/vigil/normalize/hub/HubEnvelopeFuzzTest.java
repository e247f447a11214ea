package org.vigil.normalize.hub;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.FuzzTally;
import org.vigil.normalize.JsonFuzz;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;
import org.vigil.normalize.canonical.CanonicalJsonDecoder;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** About 100,000 mutated hub envelopes and canonical readings each (see {@link JsonFuzz}). */
class HubEnvelopeFuzzTest {
    private static final Instant RECEIVED = Instant.parse("2026-11-21T08:00:00Z");
    private static final TenantId ACME = new TenantId("acme");
    private static final int INPUTS = 100_000;

    private static final List<String> HUB_SEEDS = List.of(
            """
            {"hub":{"serial":"HUB-1","imei":"356938035643809","battery":64,"signal":-93,"firmware":"3.1.0","clock":"2026-11-21T07:59:58Z"},
             "measurements":[{"device":"SCALE-1","code":"29463-7","value":176.4,"unit":"lb","time":"2026-11-21T07:10:00Z"},
               {"device":"CUFF-1","code":"85354-9","time":"2026-11-21T07:13:00Z","components":[
                 {"code":"8480-6","value":128,"unit":"mmHg"},{"code":"8462-4","value":82,"unit":"mmHg"}]}]}""",
            """
            {"hub":{"serial":"HUB-2","utcOffset":"-05:00","clock":"2026-11-21T06:00:00Z"},
             "measurements":[{"device":"AA:BB:CC:DD:EE:FF","time":"2026-11-21T07:55:00Z",
               "gatt":{"characteristic":"2A35","hex":"1E8A0058007800000004111429 3B3C00012700"}},
               {"device":"AA:BB:CC:DD:EE:01","gatt":{"characteristic":"0x2A9D","hex":"0E B4 32 E4 07 0C 19 0E 1E 2D 01 FA 00 F2 06"}}]}""",
            """
            {"hub":{"imei":"356938035643809","battery":12},"measurements":[{"code":"2339-0","value":6.1,"unit":"mmol/L","time":"2026-11-21T07:12:00Z"},
             {"code":"8310-5","value":100.4,"unit":"[degF]","time":"2026-11-21T07:11:00Z"}]}""");

    private static final List<String> CANONICAL_SEEDS = List.of(
            """
            {"device":"SN-1","code":"85354-9","effective":"2026-11-21T07:30:00.250Z","components":[{"code":"8480-6","value":128,"unit":"mm[Hg]"},{"code":"8462-4","value":82,"unit":"mm[Hg]"}]}""",
            """
            {"device":"SN-2","code":"29463-7","value":81.4,"unit":"kg","effective":"2026-11-21T07:30:00Z"}""");

    @Test
    void hubEnvelopes() {
        Decoders decoders = HubEnvelopeDecoderTest.decoders();
        FuzzTally t = JsonFuzz.run(INPUTS, 3, HUB_SEEDS,
                bytes -> decoders.decode(new Payload(ACME, "hub", "HUB-1", bytes, RECEIVED)));
        System.out.println("Hub envelope fuzz: " + t);
        assertTrue(t.accepted() > 0 && t.rejected() > 0 && t.partial() > 0, "the mutations reach every outcome: " + t);
    }

    @Test
    void canonicalReadings() {
        Decoders decoders = new Decoders(List.of(new CanonicalJsonDecoder(JsonMapper.createDefault())),
                new Normalizer(NormalizeSettings.defaults()));
        FuzzTally t = JsonFuzz.run(INPUTS, 5, CANONICAL_SEEDS,
                bytes -> decoders.decode(new Payload(ACME, "canonical", "SN-1", bytes, RECEIVED)));
        System.out.println("Canonical JSON fuzz: " + t);
        assertTrue(t.accepted() > 0 && t.rejected() > 0, "the mutations reach every outcome: " + t);
    }
}
