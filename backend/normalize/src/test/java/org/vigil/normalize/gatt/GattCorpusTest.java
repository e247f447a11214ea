package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.PayloadRejected;

import java.time.Instant;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every non-disputed case of the outside corpus: valid values decode to exactly the expected fields (every
 * expected field is checked; one this test does not know fails it), invalid ones are rejected with a reason.
 */
class GattCorpusTest {
    private static final Instant HUB_TIME = Instant.parse("2026-11-21T08:00:00Z");

    private final GattObservations gatt = new GattObservations();

    static Stream<GattCorpus.Case> cases() {
        return GattCorpus.cases().stream();
    }

    @Test
    void theCorpusIsAllThere() {
        List<GattCorpus.Case> cases = GattCorpus.cases();
        assertEquals(26, cases.size(), "cases in " + GattCorpus.file());
        assertEquals(7, cases.stream().filter(c -> !c.valid()).count());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void decodesAsTheCorpusExpects(GattCorpus.Case c) throws PayloadRejected {
        if (!c.valid()) {
            PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.measurement(c.characteristic(), c.bytes()),
                    c.id() + " must be rejected: " + c.expected().get("reason").getStringValue());
            assertEquals(ErrorCode.MALFORMED_PAYLOAD, e.problem().code(), e.getMessage());
            assertTrue(e.problem().location().matches("byte \\d+"), e.problem().location());
            assertFalse(e.problem().reason().isBlank());
            System.out.println(c.id() + " → " + e.problem().location() + ": " + e.problem().reason());
            assertThrows(PayloadRejected.class, () -> gatt.decode("AA:BB:CC:DD:EE:FF", c.characteristic(), c.bytes(),
                    HUB_TIME, null));
            return;
        }
        GattMeasurement m = gatt.measurement(c.characteristic(), c.bytes());
        Checks checks = new Checks(c.id());
        if (m instanceof BloodPressureMeasurement bp) {
            bloodPressure(checks, bp);
        } else if (m instanceof GlucoseMeasurement g) {
            glucose(checks, g);
        } else if (m instanceof HeartRateMeasurement hr) {
            heartRate(checks, hr);
        } else if (m instanceof TemperatureMeasurement t) {
            temperature(checks, t);
        } else if (m instanceof WeightMeasurement w) {
            weight(checks, w);
        } else if (m instanceof PlxSpotCheckMeasurement p) {
            checks.number("spo2", p.spo2().value()).number("pulse_rate", p.pulseRate().value())
                    .dateTime("timestamp", p.timestamp())
                    .bits("measurement_status", p.measurementStatus(), PlxMeasurementStatus.class)
                    .bits("device_and_sensor_status", p.deviceAndSensorStatus(), PlxDeviceAndSensorStatus.class)
                    .number("pulse_amplitude_index", value(p.pulseAmplitudeIndex()));
        } else if (m instanceof PlxContinuousMeasurement p) {
            checks.number("spo2", p.spo2().value()).number("pulse_rate", p.pulseRate().value())
                    .number("spo2_fast", value(p.spo2Fast())).number("pulse_rate_fast", value(p.pulseRateFast()))
                    .number("spo2_slow", value(p.spo2Slow())).number("pulse_rate_slow", value(p.pulseRateSlow()))
                    .bits("measurement_status", p.measurementStatus(), PlxMeasurementStatus.class)
                    .bits("device_and_sensor_status", p.deviceAndSensorStatus(), PlxDeviceAndSensorStatus.class)
                    .number("pulse_amplitude_index", value(p.pulseAmplitudeIndex()));
        }
        checks.integer("flags", m.flags());
        checks.verify(c.expected());

        // and the value maps to observations without a problem of its own (range checks are the Normalizer's)
        Decoding d = gatt.decode("AA:BB:CC:DD:EE:FF", c.characteristic(), c.bytes(), HUB_TIME, null);
        assertFalse(d.observations().isEmpty());
        assertEquals(List.of(), d.problems());
    }

    private static void bloodPressure(Checks checks, BloodPressureMeasurement bp) {
        checks.text("unit", bp.unit()).number("systolic", bp.systolic().value())
                .number("diastolic", bp.diastolic().value())
                .number("mean_arterial_pressure", bp.meanArterialPressure().value())
                .dateTime("timestamp", bp.timestamp()).number("pulse_rate", value(bp.pulseRate()))
                .integer("user_id", bp.userId())
                .bits("measurement_status", bp.measurementStatus(), BloodPressureMeasurement.Status.class,
                        Map.of("pulse_rate_range", e -> assertEquals(BloodPressureMeasurement.PulseRateRange.values()[
                                Integer.parseInt(e.getStringValue().replaceAll(".*bits3-4=(\\d).*", "$1"))],
                                bp.pulseRateRange(), e.getStringValue())));
    }

    private static void glucose(Checks checks, GlucoseMeasurement g) {
        checks.integer("sequence_number", g.sequenceNumber()).dateTime("base_time", g.baseTime())
                .integer("time_offset_minutes", g.timeOffsetMinutes())
                .check("effective_time", e -> assertEquals(LocalDateTime.parse(e.getStringValue().split(" ")[0]),
                        g.localTime().orElseThrow()))
                .text("concentration_unit", g.concentrationUnit()).number("concentration", value(g.concentration()))
                .integer("type", g.type()).text("type_name", words(g.typeName()))
                .integer("sample_location", g.sampleLocation())
                .text("sample_location_name", words(g.sampleLocationName()))
                .bits("sensor_status_annunciation", g.sensorStatus(), GlucoseMeasurement.SensorStatus.class,
                        Map.of("value", e -> assertEquals(e.getIntValue(), g.sensorStatus())))
                .bool("context_information_follows", g.contextFollows());
    }

    private static void heartRate(Checks checks, HeartRateMeasurement hr) {
        checks.integer("heart_rate", hr.heartRate())
                .check("sensor_contact", e -> assertEquals(sensorContact(e), hr.sensorContact()))
                .integer("energy_expended", hr.energyExpended()).integer("energy_expended_kJ", hr.energyExpended())
                .check("rr_intervals_raw_1_1024s", e -> assertEquals(e.isNull() ? List.of() : ints(e), hr.rrIntervals()))
                .check("rr_intervals_seconds", e -> {
                    List<Double> seconds = new ArrayList<>();
                    e.values().forEach(v -> seconds.add(v.getDoubleValue()));
                    assertEquals(seconds, hr.rrIntervals().stream().map(rr -> rr / 1024.0).toList());
                });
    }

    private static void temperature(Checks checks, TemperatureMeasurement t) {
        checks.text("unit", t.fahrenheit() ? "Fahrenheit" : "Celsius").number("temperature", t.temperature().value())
                .dateTime("timestamp", t.timestamp()).integer("temperature_type", t.temperatureType())
                .text("temperature_type_name", words(t.temperatureTypeName()));
    }

    private static void weight(Checks checks, WeightMeasurement w) {
        checks.text("unit", w.weightUnit()).number("weight", w.weight()).dateTime("timestamp", w.timestamp())
                .integer("user_id", w.userId()).number("bmi", w.bmi())
                .check("height_in", e -> {
                    assertEquals("in", w.heightUnit());
                    Checks.assertNumber(e.getDoubleValue(), w.height());
                })
                .check("height_m", e -> {
                    assertEquals("m", w.heightUnit());
                    Checks.assertNumber(e.getDoubleValue(), w.height());
                });
    }

    /** The corpus describes sensor contact in words; these are all the ways it does. */
    private static HeartRateMeasurement.SensorContact sensorContact(JsonNode e) {
        if (e.isNull()) {
            return HeartRateMeasurement.SensorContact.NOT_SUPPORTED;
        }
        if (e.isBoolean()) {
            return e.getBooleanValue() ? HeartRateMeasurement.SensorContact.DETECTED
                    : HeartRateMeasurement.SensorContact.NOT_DETECTED;
        }
        return switch (e.getStringValue()) {
            case "supported, not detected (false)" -> HeartRateMeasurement.SensorContact.NOT_DETECTED;
            case "worn (supported+detected)" -> HeartRateMeasurement.SensorContact.DETECTED;
            default -> throw new AssertionError("sensor_contact '" + e.getStringValue() + "' is not one this test reads");
        };
    }

    @Nullable
    private static Double value(@Nullable Ieee11073Float f) {
        return f == null ? null : f.value();
    }

    @Nullable
    private static String words(@Nullable String flagName) {
        return flagName == null ? null : flagName.replace('-', ' ');
    }

    private static List<Integer> ints(JsonNode array) {
        List<Integer> out = new ArrayList<>();
        array.values().forEach(v -> out.add(v.getIntValue()));
        return out;
    }

    /** The expected fields of one case, each with the check of the decoded value it names. */
    static final class Checks {
        private final String id;
        private final Map<String, Consumer<JsonNode>> byKey = new HashMap<>();

        Checks(String id) {
            this.id = id;
        }

        Checks check(String key, Consumer<JsonNode> check) {
            byKey.put(key, check);
            return this;
        }

        Checks number(String key, @Nullable Double actual) {
            return check(key, e -> {
                if (e.isNull()) {
                    assertNull(actual, key);
                } else {
                    assertNumber(e.getDoubleValue(), actual);
                }
            });
        }

        Checks integer(String key, @Nullable Integer actual) {
            return check(key, e -> {
                if (e.isNull()) {
                    assertNull(actual, key);
                } else if (e.isString()) {
                    assertEquals(Integer.decode(e.getStringValue().split(" ")[0]), actual, key);
                } else {
                    assertEquals(e.getIntValue(), actual, key);
                }
            });
        }

        Checks text(String key, @Nullable String actual) {
            return check(key, e -> assertEquals(e.isNull() ? null : e.getStringValue(), actual, key));
        }

        Checks bool(String key, boolean actual) {
            return check(key, e -> assertEquals(e.getBooleanValue(), actual, key));
        }

        /** A date and time given as an ISO local date-time string or as an object of its fields; null = absent. */
        Checks dateTime(String key, @Nullable GattDateTime actual) {
            return check(key, e -> {
                if (e.isNull()) {
                    assertNull(actual, key);
                } else if (e.isString()) {
                    assertEquals(e.getStringValue(), String.valueOf(actual), key);
                } else {
                    Checks fields = new Checks(id + "/" + key);
                    fields.integer("year", actual.year()).integer("month", actual.month()).integer("day", actual.day())
                            .integer("hour", actual.hours()).integer("minute", actual.minutes())
                            .integer("second", actual.seconds()).verify(e);
                }
            });
        }

        /** A status field: {@code raw}, and a boolean per bit named as the enum constant in lower case. */
        <E extends Enum<E> & StatusBit> Checks bits(String key, @Nullable Integer raw, Class<E> bits) {
            return bits(key, raw, bits, Map.of());
        }

        <E extends Enum<E> & StatusBit> Checks bits(String key, @Nullable Integer raw, Class<E> bits,
                                                    Map<String, Consumer<JsonNode>> more) {
            return check(key, e -> {
                if (e.isNull()) {
                    assertNull(raw, key);
                    return;
                }
                Checks fields = new Checks(id + "/" + key);
                fields.integer("raw", raw);
                more.forEach(fields::check);
                for (E bit : bits.getEnumConstants()) {
                    fields.check(bit.name().toLowerCase(Locale.ROOT), b -> assertEquals(b.getBooleanValue(), bit.in(raw), bit.name()));
                }
                fields.verify(e);
            });
        }

        /** Runs the check of every expected key; a key without a check fails (keys ending in _note are prose). */
        void verify(JsonNode expected) {
            for (Map.Entry<String, JsonNode> field : expected.entries()) {
                if (field.getKey().endsWith("_note")) {
                    continue;
                }
                Consumer<JsonNode> check = byKey.get(field.getKey());
                if (check == null) {
                    fail(id + ": expected field '" + field.getKey() + "' has no check in this test");
                }
                check.accept(field.getValue());
            }
        }

        static void assertNumber(double expected, @Nullable Double actual) {
            if (actual == null) {
                fail("expected " + expected + ", got nothing");
            }
            assertEquals(expected, actual, Math.abs(expected) * 1e-9);
        }
    }
}
