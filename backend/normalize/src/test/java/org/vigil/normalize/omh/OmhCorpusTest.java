package org.vigil.normalize.omh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Problem;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every file of the upstream Open mHealth test data, each wrapped in a data point whose schema_id comes from its
 * folder ({@code test-data/omh/<name>/<version>/shouldPass|shouldFail}) and sent through {@link Decoders}:
 * shouldPass files must become readings with no problem, shouldFail files must be rejected as schema violations.
 * <p>
 * The IEEE 1752.1 test data is about pieces of a body, not measures. Time frames, time intervals and body postures
 * are tested where a decoded measure uses them (inside an omh:blood-pressure:4.0 body, whose schema refers to the
 * IEEE ones). Ambient sound is a measure Vigil does not decode: both its files must be refused as UNSUPPORTED_CODE.
 */
class OmhCorpusTest {
    private static final Decoders DECODERS = OmhCorpus.decoders();
    private static final Map<String, String> LOINC = Map.of(
            "blood-pressure", "85354-9", "systolic-blood-pressure", "8480-6", "diastolic-blood-pressure", "8462-4",
            "body-weight", "29463-7", "heart-rate", "8867-4", "blood-glucose", "2339-0",
            "oxygen-saturation", "59408-5", "body-temperature", "8310-5", "step-count", "55423-8");

    /** One corpus file, as sent: the data point, and what must come of it. */
    record Case(String name, JsonNode dataPoint, boolean shouldPass, ErrorCode rejectedAs, String code) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> omh() {
        return OmhCorpus.files("omh").stream().map(f -> {
            Path rel = OmhCorpus.root().resolve("test-data/omh").relativize(f);
            String name = rel.getName(0).toString();
            String version = rel.getName(1).toString();
            boolean pass = isPass(rel);
            ObjectNode point = OmhCorpus.dataPoint("omh", name, version, OmhCorpus.read(f));
            return Arguments.of(new Case("omh/" + rel, point, pass, ErrorCode.SCHEMA_VIOLATION, LOINC.get(name)));
        });
    }

    static Stream<Arguments> ieee() {
        return OmhCorpus.files("ieee").stream().map(f -> {
            Path rel = OmhCorpus.root().resolve("test-data/ieee").relativize(f);
            String part = rel.getName(0).toString();
            boolean pass = isPass(rel);
            JsonNode data = OmhCorpus.read(f);
            Case c = switch (part) {
                case "time-frame" -> bloodPressure(rel, pass, "effective_time_frame", data);
                case "time-interval" -> bloodPressure(rel, pass, "effective_time_frame",
                        OmhCorpus.json().createObjectNode().set("time_interval", data));
                case "body-posture" -> bloodPressure(rel, pass, "body_posture", data);
                // not a measure Vigil decodes: refused whatever its folder says
                default -> new Case("ieee/" + rel, OmhCorpus.dataPoint("ieee", part, rel.getName(1).toString(), data),
                        false, ErrorCode.UNSUPPORTED_CODE, null);
            };
            return Arguments.of(c);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("omh")
    void openMHealthTestData(Case c) {
        check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ieee")
    void ieeeTestDataInsideAMeasure(Case c) {
        check(c);
    }

    /** Guards against a corpus that moved or lost folders: every measure Vigil maps is covered. */
    @Test
    void theCorpusCoversEveryMeasureVigilDecodes() {
        Map<String, Long> perMeasure = OmhCorpus.files("omh").stream().collect(Collectors.groupingBy(
                f -> OmhCorpus.root().resolve("test-data/omh").relativize(f).getName(0).toString(),
                TreeMap::new, Collectors.counting()));
        Set<String> decoded = Stream.of(OmhMeasure.values()).map(OmhMeasure::schemaName).collect(Collectors.toSet());
        assertEquals(decoded, perMeasure.keySet(), "measure folders in test-data/omh");
        long pass = OmhCorpus.files("omh").stream().filter(f -> isPass(f)).count();
        long ieee = OmhCorpus.files("ieee").size();
        System.out.printf("OMH corpus: %d omh files (%d shouldPass, %d shouldFail) over %s; %d ieee files%n",
                perMeasure.values().stream().mapToLong(Long::longValue).sum(), pass,
                perMeasure.values().stream().mapToLong(Long::longValue).sum() - pass, perMeasure, ieee);
    }

    private static void check(Case c) {
        Normalized n = OmhCorpus.decode(DECODERS, OmhCorpus.bytes(c.dataPoint()));
        if (c.shouldPass()) {
            assertEquals(List.of(), n.problems(), c.name() + " is valid upstream and must be accepted");
            assertEquals(1, n.readings().size(), c.name());
            NormalizedReading r = n.readings().get(0);
            assertEquals(c.code(), r.code(), c.name());
            assertEquals(OmhCorpus.SUBJECT_DEVICE, r.device(), c.name());
        } else {
            assertTrue(n.isRejected(), c.name() + " is invalid upstream and must be rejected; got " + n.readings());
            Problem p = n.problems().get(0);
            assertEquals(c.rejectedAs(), p.code(), c.name() + ": " + p.reason());
            assertFalse(p.reason().isBlank(), c.name());
        }
    }

    private static Case bloodPressure(Path rel, boolean pass, String field, JsonNode value) {
        ObjectNode body = OmhCorpus.json().createObjectNode();
        body.putObject("systolic_blood_pressure").put("value", 122).put("unit", "mmHg");
        body.putObject("diastolic_blood_pressure").put("value", 78).put("unit", "mmHg");
        body.putObject("effective_time_frame").put("date_time", "2020-02-05T07:25:00-08:00");
        body.set(field, value);
        return new Case("ieee/" + rel + " as " + field + " of omh:blood-pressure:4.0",
                OmhCorpus.dataPoint("omh", "blood-pressure", "4.0", body), pass, ErrorCode.SCHEMA_VIOLATION, "85354-9");
    }

    private static boolean isPass(Path p) {
        for (Path part : p) {
            if (part.toString().equals("shouldPass")) {
                return true;
            }
            if (part.toString().equals("shouldFail")) {
                return false;
            }
        }
        throw new IllegalStateException(p + " is in neither a shouldPass nor a shouldFail folder");
    }
}
