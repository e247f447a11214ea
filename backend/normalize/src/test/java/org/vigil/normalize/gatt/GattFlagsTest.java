package org.vigil.normalize.gatt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.Observation;
import org.vigil.normalize.PayloadRejected;
import org.vigil.normalize.Problem;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every flag combination each characteristic defines, built byte by byte from field values and decoded back;
 * each also cut at every length and extended by a byte, which must be rejected naming the right byte.
 */
class GattFlagsTest {
    private static final String DEVICE = "AA:BB:CC:DD:EE:FF";
    private static final Instant HUB_TIME = Instant.parse("2026-11-21T08:00:00Z");
    private static final ZoneOffset ZONE = ZoneOffset.ofHours(1);
    /** 2026-11-21 07:30:05 on the device's clock, which runs at UTC+1. */
    private static final GattDateTime DEVICE_CLOCK = new GattDateTime(2026, 11, 21, 7, 30, 5);
    private static final Instant DEVICE_TIME = Instant.parse("2026-11-21T06:30:05Z");

    private final GattObservations gatt = new GattObservations();

    static IntStream fiveBits() {
        return IntStream.range(0, 32);
    }

    static IntStream fourBits() {
        return IntStream.range(0, 16);
    }

    static IntStream threeBits() {
        return IntStream.range(0, 8);
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @MethodSource("fiveBits")
    void bloodPressure(int flags) throws PayloadRejected {
        boolean kpa = (flags & BloodPressureMeasurement.KPA) != 0;
        boolean hasTime = (flags & BloodPressureMeasurement.TIME_STAMP) != 0;
        boolean hasPulse = (flags & BloodPressureMeasurement.PULSE_RATE) != 0;
        boolean hasUser = (flags & BloodPressureMeasurement.USER_ID) != 0;
        boolean hasStatus = (flags & BloodPressureMeasurement.MEASUREMENT_STATUS) != 0;
        GattBytes b = new GattBytes().u8(flags);
        if (kpa) {
            b.sfloat(164, -1).sfloat(109, -1).sfloat(127, -1);
        } else {
            b.sfloat(1234, -1).sfloat(81, 0).sfloat(953, -1);
        }
        if (hasTime) {
            dateTime(b, DEVICE_CLOCK);
        }
        if (hasPulse) {
            b.sfloat(72, 0);
        }
        if (hasUser) {
            b.u8(3);
        }
        if (hasStatus) {
            b.u16(0x0027);
        }

        BloodPressureMeasurement m = (BloodPressureMeasurement) gatt.measurement("2A35", b.bytes());
        assertEquals(flags, m.flags());
        assertEquals(kpa ? "kPa" : "mmHg", m.unit());
        assertEquals(kpa ? 16.4 : 123.4, m.systolic().value());
        assertEquals(kpa ? 10.9 : 81.0, m.diastolic().value());
        assertEquals(kpa ? 12.7 : 95.3, m.meanArterialPressure().value());
        assertEquals(hasTime ? DEVICE_CLOCK : null, m.timestamp());
        assertEquals(hasPulse ? 72.0 : null, m.pulseRate() == null ? null : m.pulseRate().value());
        assertEquals(hasUser ? 3 : null, m.userId());
        assertEquals(hasStatus ? 0x0027 : null, m.measurementStatus());

        List<String> expectedFlags = new ArrayList<>();
        if (hasUser) {
            expectedFlags.add("user:3");
        }
        if (hasStatus) {
            expectedFlags.addAll(List.of("body-movement", "cuff-too-loose", "irregular-pulse", "improper-position"));
        }
        Decoding d = gatt.decode(DEVICE, "2A35", b.bytes(), HUB_TIME, ZONE);
        assertEquals(List.of(), d.problems());
        assertEquals(hasPulse ? 2 : 1, d.observations().size());
        String unit = kpa ? "kPa" : "mmHg";
        assertObservation(d.observations().get(0), "85354-9", 1, hasTime ? DEVICE_TIME : HUB_TIME, expectedFlags,
                new Measurement("8480-6", kpa ? 16.4 : 123.4, unit), new Measurement("8462-4", kpa ? 10.9 : 81.0, unit),
                new Measurement("8478-0", kpa ? 12.7 : 95.3, unit));
        if (hasPulse) {
            assertObservation(d.observations().get(1), "8867-4", hasTime ? 14 : 7, hasTime ? DEVICE_TIME : HUB_TIME, expectedFlags,
                    new Measurement("8867-4", 72, "/min"));
        }
        assertStrict("2A35", b, length -> false);
    }

    /** Bits 0–5 of the status, all 64 ways, each becoming its flags. */
    @Test
    void bloodPressureStatus() throws PayloadRejected {
        String[] range = {null, "pulse-rate:above-range", "pulse-rate:below-range", "pulse-rate:range-reserved"};
        for (int status = 0; status < 64; status++) {
            byte[] value = new GattBytes().u8(BloodPressureMeasurement.MEASUREMENT_STATUS)
                    .sfloat(120, 0).sfloat(80, 0).sfloat(93, 0).u16(status | 0xFFC0).bytes();
            List<String> expected = new ArrayList<>();
            if ((status & 1) != 0) {
                expected.add("body-movement");
            }
            if ((status & 2) != 0) {
                expected.add("cuff-too-loose");
            }
            if ((status & 4) != 0) {
                expected.add("irregular-pulse");
            }
            if ((status & 32) != 0) {
                expected.add("improper-position");
            }
            if (range[status >> 3 & 3] != null) {
                expected.add(range[status >> 3 & 3]);
            }
            Decoding d = gatt.decode(DEVICE, "2A35", value, HUB_TIME, null);
            assertEquals(expected, d.observations().get(0).flags(), "status 0x" + Integer.toHexString(status));
        }
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @MethodSource("fourBits")
    void weight(int flags) throws PayloadRejected {
        boolean imperial = (flags & WeightMeasurement.IMPERIAL) != 0;
        boolean hasTime = (flags & WeightMeasurement.TIME_STAMP) != 0;
        boolean hasUser = (flags & WeightMeasurement.USER_ID) != 0;
        boolean hasBmi = (flags & WeightMeasurement.BMI_AND_HEIGHT) != 0;
        // bits 4–7 are reserved: a receiver ignores them
        for (int reserved : new int[]{0x00, 0xF0}) {
            GattBytes b = new GattBytes().u8(flags | reserved).u16(imperial ? 15700 : 14000);
            if (hasTime) {
                dateTime(b, DEVICE_CLOCK);
            }
            if (hasUser) {
                b.u8(3);
            }
            if (hasBmi) {
                b.u16(245).u16(imperial ? 680 : 1750);
            }
            WeightMeasurement m = (WeightMeasurement) gatt.measurement("0x2A9D", b.bytes());
            assertEquals(imperial ? 157.0 : 70.0, m.weight());
            assertEquals(imperial ? "lb" : "kg", m.weightUnit());
            assertEquals(hasTime ? DEVICE_CLOCK : null, m.timestamp());
            assertEquals(hasUser ? 3 : null, m.userId());
            assertEquals(hasBmi ? 24.5 : null, m.bmi());
            assertEquals(hasBmi ? (imperial ? 68.0 : 1.75) : null, m.height());

            List<String> expectedFlags = hasUser ? List.of("user:3") : List.of();
            Instant time = hasTime ? DEVICE_TIME : HUB_TIME;
            Decoding d = gatt.decode(DEVICE, "0x2A9D", b.bytes(), HUB_TIME, ZONE);
            assertEquals(List.of(), d.problems());
            assertEquals(hasBmi ? 3 : 1, d.observations().size());
            int bmiAt = 3 + (hasTime ? 7 : 0) + (hasUser ? 1 : 0);
            assertObservation(d.observations().get(0), "29463-7", 1, time, expectedFlags,
                    new Measurement("29463-7", imperial ? 157.0 : 70.0, imperial ? "lb" : "kg"));
            if (hasBmi) {
                assertObservation(d.observations().get(1), "39156-5", bmiAt, time, expectedFlags,
                        new Measurement("39156-5", 24.5, "kg/m2"));
                assertObservation(d.observations().get(2), "8302-2", bmiAt + 2, time, expectedFlags,
                        new Measurement("8302-2", imperial ? 68.0 : 1.75, imperial ? "in" : "m"));
            }
            assertStrict("2A9D", b, length -> false);
        }
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @MethodSource("fiveBits")
    void glucose(int flags) throws PayloadRejected {
        boolean hasOffset = (flags & GlucoseMeasurement.TIME_OFFSET) != 0;
        boolean hasConcentration = (flags & GlucoseMeasurement.CONCENTRATION) != 0;
        boolean mol = (flags & GlucoseMeasurement.MOL_PER_LITRE) != 0;
        boolean hasStatus = (flags & GlucoseMeasurement.SENSOR_STATUS) != 0;
        boolean context = (flags & GlucoseMeasurement.CONTEXT_FOLLOWS) != 0;
        GattBytes b = new GattBytes().u8(flags).u16(17);
        dateTime(b, DEVICE_CLOCK);
        if (hasOffset) {
            b.u16(-5);
        }
        if (hasConcentration) {
            b.sfloat(mol ? 54 : 95, mol ? -4 : -5).u8(0x11);
        }
        if (hasStatus) {
            b.u16(0x0001);
        }

        GlucoseMeasurement m = (GlucoseMeasurement) gatt.measurement("2a18", b.bytes());
        assertEquals(17, m.sequenceNumber());
        assertEquals(DEVICE_CLOCK, m.baseTime());
        assertEquals(hasOffset ? -5 : null, m.timeOffsetMinutes());
        assertEquals(hasConcentration ? (mol ? 0.0054 : 0.00095) : null,
                m.concentration() == null ? null : m.concentration().value());
        assertEquals(hasConcentration ? (mol ? "mol/L" : "kg/L") : null, m.concentrationUnit());
        assertEquals(hasConcentration ? "capillary-whole-blood" : null, m.typeName());
        assertEquals(hasConcentration ? "finger" : null, m.sampleLocationName());
        assertEquals(hasStatus, m.has(GlucoseMeasurement.SensorStatus.DEVICE_BATTERY_LOW));
        assertEquals(context, m.contextFollows());

        if (!hasConcentration) {
            PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.decode(DEVICE, "2a18", b.bytes(), HUB_TIME, ZONE));
            assertEquals(ErrorCode.INVALID_READING, e.problem().code());
            assertTrue(e.getMessage().contains("no glucose concentration"), e.getMessage());
        } else {
            List<String> expectedFlags = new ArrayList<>(List.of("seq:17", "glucose-type:capillary-whole-blood",
                    "sample-location:finger"));
            if (hasStatus) {
                expectedFlags.add("battery-low");
            }
            if (context) {
                expectedFlags.add("context-follows");
            }
            Decoding d = gatt.decode(DEVICE, "2a18", b.bytes(), HUB_TIME, ZONE);
            assertEquals(List.of(), d.problems());
            assertObservation(d.observations().get(0), "2339-0", hasOffset ? 12 : 10, DEVICE_TIME.minusSeconds(hasOffset ? 300 : 0),
                    expectedFlags, new Measurement("2339-0", mol ? 0.0054 : 0.00095, mol ? "mol/L" : "kg/L"));
        }
        assertStrict("2a18", b, length -> false);
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @MethodSource("fiveBits")
    void plxSpotCheck(int flags) throws PayloadRejected {
        boolean hasTime = (flags & PlxSpotCheckMeasurement.TIMESTAMP) != 0;
        boolean hasStatus = (flags & PlxSpotCheckMeasurement.MEASUREMENT_STATUS) != 0;
        boolean hasDevice = (flags & PlxSpotCheckMeasurement.DEVICE_AND_SENSOR_STATUS) != 0;
        boolean hasPai = (flags & PlxSpotCheckMeasurement.PULSE_AMPLITUDE_INDEX) != 0;
        boolean clockNotSet = (flags & PlxSpotCheckMeasurement.DEVICE_CLOCK_NOT_SET) != 0;
        GattBytes b = new GattBytes().u8(flags).sfloat(970, -1).sfloat(64, 0);
        if (hasTime) {
            dateTime(b, DEVICE_CLOCK);
        }
        plxTail(b, hasStatus, hasDevice, hasPai);

        PlxSpotCheckMeasurement m = (PlxSpotCheckMeasurement) gatt.measurement("00002a5e-0000-1000-8000-00805f9b34fb", b.bytes());
        assertEquals(97.0, m.spo2().value());
        assertEquals(64.0, m.pulseRate().value());
        assertEquals(hasTime ? DEVICE_CLOCK : null, m.timestamp());
        assertEquals(hasStatus ? 0x4020 : null, m.measurementStatus());
        assertEquals(hasDevice ? 0x000022 : null, m.deviceAndSensorStatus());
        assertEquals(hasPai ? 8.7 : null, m.pulseAmplitudeIndex() == null ? null : m.pulseAmplitudeIndex().value());
        assertEquals(clockNotSet, m.deviceClockNotSet());

        List<String> expectedFlags = new ArrayList<>();
        if (clockNotSet) {
            expectedFlags.add("device-clock-not-set");
        }
        expectedFlags.addAll(plxFlags(hasStatus, hasDevice, hasPai));
        // a clock that was never set gives no usable time, even when it sends a timestamp
        Instant time = hasTime && !clockNotSet ? DEVICE_TIME : HUB_TIME;
        Decoding d = gatt.decode(DEVICE, "2A5E", b.bytes(), HUB_TIME, ZONE);
        assertEquals(List.of(), d.problems());
        assertEquals(2, d.observations().size());
        assertObservation(d.observations().get(0), "59408-5", 1, time, expectedFlags, new Measurement("59408-5", 97, "%"));
        assertObservation(d.observations().get(1), "8867-4", 3, time, expectedFlags, new Measurement("8867-4", 64, "/min"));
        assertStrict("2A5E", b, length -> false);
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @MethodSource("fiveBits")
    void plxContinuous(int flags) throws PayloadRejected {
        boolean fast = (flags & PlxContinuousMeasurement.FAST) != 0;
        boolean slow = (flags & PlxContinuousMeasurement.SLOW) != 0;
        boolean hasStatus = (flags & PlxContinuousMeasurement.MEASUREMENT_STATUS) != 0;
        boolean hasDevice = (flags & PlxContinuousMeasurement.DEVICE_AND_SENSOR_STATUS) != 0;
        boolean hasPai = (flags & PlxContinuousMeasurement.PULSE_AMPLITUDE_INDEX) != 0;
        GattBytes b = new GattBytes().u8(flags).sfloat(970, -1).sfloat(64, 0);
        if (fast) {
            b.sfloat(96, 0).sfloat(65, 0);
        }
        if (slow) {
            b.sfloat(980, -1).sfloat(63, 0);
        }
        plxTail(b, hasStatus, hasDevice, hasPai);

        PlxContinuousMeasurement m = (PlxContinuousMeasurement) gatt.measurement("2A5F", b.bytes());
        assertEquals(97.0, m.spo2().value());
        assertEquals(64.0, m.pulseRate().value());
        assertEquals(fast ? 96.0 : null, m.spo2Fast() == null ? null : m.spo2Fast().value());
        assertEquals(fast ? 65.0 : null, m.pulseRateFast() == null ? null : m.pulseRateFast().value());
        assertEquals(slow ? 98.0 : null, m.spo2Slow() == null ? null : m.spo2Slow().value());
        assertEquals(slow ? 63.0 : null, m.pulseRateSlow() == null ? null : m.pulseRateSlow().value());
        assertEquals(hasStatus ? 0x4020 : null, m.measurementStatus());
        assertEquals(hasDevice ? 0x000022 : null, m.deviceAndSensorStatus());
        assertEquals(hasPai ? 8.7 : null, m.pulseAmplitudeIndex() == null ? null : m.pulseAmplitudeIndex().value());

        List<String> expectedFlags = plxFlags(hasStatus, hasDevice, hasPai);
        Decoding d = gatt.decode(DEVICE, "2A5F", b.bytes(), HUB_TIME, ZONE);
        assertEquals(List.of(), d.problems());
        assertEquals(2, d.observations().size());
        assertObservation(d.observations().get(0), "59408-5", 1, HUB_TIME, expectedFlags, new Measurement("59408-5", 97, "%"));
        assertObservation(d.observations().get(1), "8867-4", 3, HUB_TIME, expectedFlags, new Measurement("8867-4", 64, "/min"));
        assertStrict("2A5F", b, length -> false);
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @MethodSource("fiveBits")
    void heartRate(int flags) throws PayloadRejected {
        boolean uint16 = (flags & HeartRateMeasurement.UINT16) != 0;
        int contact = flags & (HeartRateMeasurement.CONTACT_DETECTED | HeartRateMeasurement.CONTACT_SUPPORTED);
        boolean hasEnergy = (flags & HeartRateMeasurement.ENERGY_EXPENDED) != 0;
        boolean hasRr = (flags & HeartRateMeasurement.RR_INTERVALS) != 0;
        GattBytes b = new GattBytes().u8(flags);
        if (uint16) {
            b.u16(0x0123);
        } else {
            b.u8(72);
        }
        if (hasEnergy) {
            b.u16(1234);
        }
        int rrStart = (uint16 ? 3 : 2) + (hasEnergy ? 2 : 0);
        List<Integer> rr = List.of(832, 790, 65535);
        if (hasRr) {
            rr.forEach(b::u16);
        }

        HeartRateMeasurement m = (HeartRateMeasurement) gatt.measurement("2A37", b.bytes());
        assertEquals(uint16 ? 0x0123 : 72, m.heartRate());
        assertEquals(contact == 6 ? HeartRateMeasurement.SensorContact.DETECTED
                : contact == 4 ? HeartRateMeasurement.SensorContact.NOT_DETECTED
                : HeartRateMeasurement.SensorContact.NOT_SUPPORTED, m.sensorContact());
        assertEquals(hasEnergy ? 1234 : null, m.energyExpended());
        assertEquals(hasRr ? rr : List.of(), m.rrIntervals());

        List<String> expectedFlags = new ArrayList<>();
        if (contact == 6) {
            expectedFlags.add("sensor-contact:detected");
        } else if (contact == 4) {
            expectedFlags.add("sensor-contact:not-detected");
        }
        if (hasEnergy) {
            expectedFlags.add("energy-kj:1234");
        }
        if (hasRr) {
            expectedFlags.add("rr-ms:" + rr.stream().map(x -> String.valueOf(Math.round(x * 1000.0 / 1024)))
                    .collect(Collectors.joining(",")));
        }
        Decoding d = gatt.decode(DEVICE, "2A37", b.bytes(), HUB_TIME, ZONE);
        assertEquals(List.of(), d.problems());
        assertObservation(d.observations().get(0), "8867-4", 1, HUB_TIME, expectedFlags,
                new Measurement("8867-4", uint16 ? 0x0123 : 72, "/min"));
        // RR intervals fill the rest of the value: cut after a whole interval, it is a shorter, valid list
        int firstRrEnd = rrStart + 2;
        assertStrict("2A37", b, length -> hasRr && length >= firstRrEnd && (length - rrStart) % 2 == 0);
    }

    @Test
    void rrMillisecondsRoundToTheNearest() throws PayloadRejected {
        byte[] value = new GattBytes().u8(HeartRateMeasurement.RR_INTERVALS).u8(60).u16(832).u16(809).u16(1).bytes();
        Observation o = gatt.decode(DEVICE, "2A37", value, HUB_TIME, null).observations().get(0);
        assertEquals(List.of("rr-ms:813,790,1"), o.flags());
    }

    @ParameterizedTest(name = "flags 0x{0}")
    @MethodSource("threeBits")
    void temperature(int flags) throws PayloadRejected {
        boolean fahrenheit = (flags & TemperatureMeasurement.FAHRENHEIT) != 0;
        boolean hasTime = (flags & TemperatureMeasurement.TIME_STAMP) != 0;
        boolean hasType = (flags & TemperatureMeasurement.TEMPERATURE_TYPE) != 0;
        GattBytes b = new GattBytes().u8(flags).float32(fahrenheit ? 9968 : 3760, -2);
        if (hasTime) {
            dateTime(b, DEVICE_CLOCK);
        }
        if (hasType) {
            b.u8(9);
        }

        TemperatureMeasurement m = (TemperatureMeasurement) gatt.measurement("2A1C", b.bytes());
        assertEquals(fahrenheit ? 99.68 : 37.6, m.temperature().value());
        assertEquals(fahrenheit ? "[degF]" : "Cel", m.unit());
        assertEquals(hasTime ? DEVICE_CLOCK : null, m.timestamp());
        assertEquals(hasType ? "tympanum" : null, m.temperatureTypeName());

        Decoding d = gatt.decode(DEVICE, "2A1C", b.bytes(), HUB_TIME, ZONE);
        assertEquals(List.of(), d.problems());
        assertObservation(d.observations().get(0), "8310-5", 1, hasTime ? DEVICE_TIME : HUB_TIME,
                hasType ? List.of("temperature-type:tympanum") : List.of(),
                new Measurement("8310-5", fahrenheit ? 99.68 : 37.6, fahrenheit ? "[degF]" : "Cel"));
        assertStrict("2A1C", b, length -> false);
    }

    @ParameterizedTest
    @EnumSource(Ieee11073Float.Special.class)
    void aSpecialSfloatIsNotANumber(Ieee11073Float.Special special) {
        byte[] value = new GattBytes().u8(0).u16(special.sfloat()).sfloat(80, 0).sfloat(93, 0).bytes();
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.decode(DEVICE, "2A35", value, HUB_TIME, null));
        assertEquals(ErrorCode.NOT_A_NUMBER, e.problem().code());
        assertEquals("byte 1", e.problem().location());
        assertTrue(e.getMessage().contains("Systolic at byte 1 is the IEEE 11073 special value " + special.symbol()
                + " (" + String.format("0x%04X", special.sfloat()) + ", "), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Ieee11073Float.Special.class)
    void aSpecialFloatIsNotANumber(Ieee11073Float.Special special) {
        byte[] value = new GattBytes().u8(0).u32(special.float32()).bytes();
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.decode(DEVICE, "2A1C", value, HUB_TIME, null));
        assertEquals(ErrorCode.NOT_A_NUMBER, e.problem().code());
        assertEquals("byte 1", e.problem().location());
        assertTrue(e.getMessage().contains("Temperature Measurement Value at byte 1 is the IEEE 11073 special value "
                + special.symbol() + " (" + String.format("0x%08X", special.float32()) + ", "), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(Ieee11073Float.Special.class)
    void aSpecialPulseRateLeavesThePressuresUsable(Ieee11073Float.Special special) throws PayloadRejected {
        byte[] value = new GattBytes().u8(BloodPressureMeasurement.PULSE_RATE).sfloat(120, 0).sfloat(80, 0)
                .sfloat(93, 0).u16(special.sfloat()).bytes();
        Decoding d = gatt.decode(DEVICE, "2A35", value, HUB_TIME, null);
        assertEquals(1, d.observations().size());
        assertEquals("85354-9", d.observations().get(0).code());
        assertEquals(1, d.problems().size());
        Problem p = d.problems().get(0);
        assertEquals(ErrorCode.NOT_A_NUMBER, p.code());
        assertEquals("byte 7", p.location());
        assertTrue(p.reason().contains("Pulse Rate") && p.reason().contains(special.symbol()), p.reason());
    }

    @Test
    void aMeanPressureThatIsNaNIsLeftOutOfThePanelAndFlagged() throws PayloadRejected {
        // Cuffs that compute no mean send NaN there, as the spec allows: the reading is whole without it.
        byte[] value = new GattBytes().u8(0).sfloat(120, 0).sfloat(80, 0).u16(0x07FF).bytes();
        Decoding d = gatt.decode(DEVICE, "2A35", value, HUB_TIME, null);
        assertEquals(List.of(new Measurement("8480-6", 120, "mmHg"), new Measurement("8462-4", 80, "mmHg")),
                d.observations().get(0).measurements());
        assertTrue(d.observations().get(0).flags().contains("mean-pressure:not-computed"));
        assertEquals(List.of(), d.problems());
    }

    @Test
    void aMeanPressureThatIsAnotherSpecialValueIsReported() throws PayloadRejected {
        byte[] value = new GattBytes().u8(0).sfloat(120, 0).sfloat(80, 0).u16(0x0800).bytes();
        Decoding d = gatt.decode(DEVICE, "2A35", value, HUB_TIME, null);
        assertEquals(2, d.observations().get(0).measurements().size());
        assertEquals("byte 5", d.problems().get(0).location());
    }

    @Test
    void aSpecialDiastolicLeavesThePulseRateUsable() throws PayloadRejected {
        byte[] value = new GattBytes().u8(BloodPressureMeasurement.PULSE_RATE).sfloat(120, 0).u16(0x0800)
                .sfloat(93, 0).sfloat(61, 0).bytes();
        Decoding d = gatt.decode(DEVICE, "2A35", value, HUB_TIME, null);
        assertEquals(List.of("8867-4"), d.observations().stream().map(Observation::code).toList());
        assertEquals(List.of("byte 3"), d.problems().stream().map(Problem::location).toList());
    }

    @Test
    void whenNothingIsANumberEveryReasonIsKept() {
        byte[] value = new GattBytes().u8(BloodPressureMeasurement.PULSE_RATE).u16(0x07FF).u16(0x07FF)
                .u16(0x07FF).u16(0x07FE).bytes();
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.decode(DEVICE, "2A35", value, HUB_TIME, null));
        assertEquals(ErrorCode.NOT_A_NUMBER, e.problem().code());
        for (String field : List.of("Systolic at byte 1", "Diastolic at byte 3",
                "Pulse Rate at byte 7 is the IEEE 11073 special value +INF")) {
            assertTrue(e.getMessage().contains(field), field + " in " + e.getMessage());
        }
    }

    @Test
    void aSpecialSpo2LeavesThePulseRateUsable() throws PayloadRejected {
        byte[] value = new GattBytes().u8(0).u16(0x07FF).sfloat(64, 0).bytes();
        Decoding d = gatt.decode(DEVICE, "2A5E", value, HUB_TIME, null);
        assertEquals(List.of("8867-4"), d.observations().stream().map(Observation::code).toList());
        assertTrue(d.problems().get(0).reason().contains("SpO2 at byte 1"), d.problems().get(0).reason());
    }

    @Test
    void anUnsuccessfulWeighingIsNotANumberButItsHeightIsKept() throws PayloadRejected {
        byte[] alone = new GattBytes().u8(0).u16(0xFFFF).bytes();
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.decode(DEVICE, "2A9D", alone, HUB_TIME, null));
        assertEquals(ErrorCode.NOT_A_NUMBER, e.problem().code());
        assertTrue(e.getMessage().contains("unsuccessful"), e.getMessage());

        byte[] withHeight = new GattBytes().u8(WeightMeasurement.BMI_AND_HEIGHT).u16(0xFFFF).u16(245).u16(1750).bytes();
        Decoding d = gatt.decode(DEVICE, "2A9D", withHeight, HUB_TIME, null);
        assertEquals(List.of("39156-5", "8302-2"), d.observations().stream().map(Observation::code).toList());
        assertEquals(ErrorCode.NOT_A_NUMBER, d.problems().get(0).code());
    }

    @Test
    void anUnknownDateFallsBackToTheCallersTime() throws PayloadRejected {
        for (GattDateTime unknown : List.of(new GattDateTime(0, 4, 17, 20, 41, 59), new GattDateTime(2026, 0, 17, 1, 2, 3),
                new GattDateTime(2026, 4, 0, 1, 2, 3))) {
            GattBytes b = new GattBytes().u8(BloodPressureMeasurement.TIME_STAMP).sfloat(120, 0).sfloat(80, 0).sfloat(93, 0);
            dateTime(b, unknown);
            Observation o = gatt.decode(DEVICE, "2A35", b.bytes(), HUB_TIME, ZONE).observations().get(0);
            assertEquals(HUB_TIME, o.deviceTime(), unknown.toString());
            assertEquals(List.of("device-time:unknown"), o.flags());
            assertNull(gatt.decode(DEVICE, "2A35", b.bytes(), null, ZONE).observations().get(0).deviceTime());
        }
    }

    @Test
    void withoutAZoneTheDeviceClockIsUtc() throws PayloadRejected {
        GattBytes b = new GattBytes().u8(TemperatureMeasurement.TIME_STAMP).float32(3700, -2);
        dateTime(b, DEVICE_CLOCK);
        Observation o = gatt.decode(DEVICE, "2A1C", b.bytes(), HUB_TIME, null).observations().get(0);
        assertEquals(Instant.parse("2026-11-21T07:30:05Z"), o.deviceTime());
    }

    @Test
    void aDateThatIsNoDateIsMalformed() {
        for (GattDateTime bad : List.of(new GattDateTime(2026, 13, 1, 0, 0, 0), new GattDateTime(2026, 2, 30, 0, 0, 0),
                new GattDateTime(2026, 1, 1, 24, 0, 0), new GattDateTime(2026, 1, 1, 0, 60, 0),
                new GattDateTime(2026, 1, 1, 0, 0, 60), new GattDateTime(1200, 1, 1, 0, 0, 0),
                new GattDateTime(2026, 1, 32, 0, 0, 0))) {
            GattBytes b = new GattBytes().u8(BloodPressureMeasurement.TIME_STAMP).sfloat(120, 0).sfloat(80, 0).sfloat(93, 0);
            dateTime(b, bad);
            PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.measurement("2A35", b.bytes()), bad.toString());
            assertEquals(ErrorCode.MALFORMED_PAYLOAD, e.problem().code());
            assertEquals("byte 7", e.problem().location());
            assertTrue(e.getMessage().contains("Time Stamp at byte 7 reads " + bad), e.getMessage());
        }
    }

    private static void dateTime(GattBytes b, GattDateTime t) {
        b.dateTime(t.year(), t.month(), t.day(), t.hours(), t.minutes(), t.seconds());
    }

    private static void plxTail(GattBytes b, boolean hasStatus, boolean hasDevice, boolean hasPai) {
        if (hasStatus) {
            b.u16(0x4020);
        }
        if (hasDevice) {
            b.u24(0x000022);
        }
        if (hasPai) {
            b.sfloat(87, -1);
        }
    }

    private static List<String> plxFlags(boolean hasStatus, boolean hasDevice, boolean hasPai) {
        List<String> flags = new ArrayList<>();
        if (hasStatus) {
            flags.addAll(List.of("measurement-ongoing", "questionable-measurement"));
        }
        if (hasDevice) {
            flags.addAll(List.of("equipment-malfunction", "low-perfusion"));
        }
        if (hasPai) {
            flags.add("pai:8.7");
        }
        return flags;
    }

    private static void assertObservation(Observation o, String code, int offset, Instant time, List<String> flags,
                                          Measurement... measurements) {
        assertEquals(DEVICE, o.device());
        assertEquals(code, o.code());
        assertEquals("byte " + offset, o.location());
        assertEquals(List.of(measurements), o.measurements());
        assertEquals(time, o.deviceTime());
        assertEquals(flags, o.flags());
    }

    /**
     * Cut short at every length, the value is rejected naming the byte where the missing field starts; one byte
     * too long, naming the first unexpected byte. {@code alsoValid} lists the lengths that are complete values too.
     */
    private void assertStrict(String characteristic, GattBytes b, IntPredicate alsoValid) {
        byte[] full = b.bytes();
        for (int length = 0; length < full.length; length++) {
            byte[] cut = Arrays.copyOf(full, length);
            if (alsoValid.test(length)) {
                assertDoesNotThrow(() -> gatt.measurement(characteristic, cut));
                continue;
            }
            PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.measurement(characteristic, cut),
                    "cut to " + length + " bytes");
            assertEquals(ErrorCode.MALFORMED_PAYLOAD, e.problem().code());
            assertEquals("byte " + b.missingFieldAt(length), e.problem().location(), e.getMessage());
            assertTrue(e.getMessage().contains("cut short"), e.getMessage());
        }
        byte[] longer = Arrays.copyOf(full, full.length + 1);
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.measurement(characteristic, longer));
        assertEquals(ErrorCode.MALFORMED_PAYLOAD, e.problem().code());
        assertEquals("byte " + full.length, e.problem().location(), e.getMessage());
    }

    @Test
    void aControlSolutionTestIsNotThePatientsGlucose() {
        byte[] value = new GattBytes().u8(GlucoseMeasurement.CONCENTRATION).u16(5)
                .u16(2026).u8(11).u8(21).u8(7).u8(30).u8(0)      // base time
                .sfloat(95, -5)                                   // 0.00095 kg/L = 95 mg/dL
                .u8(0x1A)                                         // type 10 control solution, location 1 finger
                .bytes();
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.decode(DEVICE, "2A18", value, HUB_TIME, null));
        assertEquals(ErrorCode.INVALID_READING, e.problem().code());
        assertTrue(e.getMessage().contains("control-solution"), e.getMessage());
    }

    @Test
    void oximeterDemonstrationDataIsNotThePatients() {
        byte[] value = new GattBytes().u8(PlxSpotCheckMeasurement.MEASUREMENT_STATUS).sfloat(97, 0).sfloat(64, 0)
                .u16(1 << 10).bytes();
        PayloadRejected e = assertThrows(PayloadRejected.class, () -> gatt.decode(DEVICE, "2A5E", value, HUB_TIME, null));
        assertEquals(ErrorCode.INVALID_READING, e.problem().code());
        assertTrue(e.getMessage().contains("demonstration-data"), e.getMessage());
    }
}
