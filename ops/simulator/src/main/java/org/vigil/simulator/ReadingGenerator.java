package org.vigil.simulator;

import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Produces the readings one device measurement yields. Everything that does not change per reading (baseline,
 * identifier, subject) is computed once here, so the hot path is arithmetic, one SHA-256 and one JSON write.
 * Immutable and thread-safe: the random generator, the only state a stream has, belongs to the caller.
 */
public final class ReadingGenerator {
    private static final String BP = VitalSign.BLOOD_PRESSURE.code();
    private static final String SYS = VitalSign.SYSTOLIC_BP.code();
    private static final String DIA = VitalSign.DIASTOLIC_BP.code();
    private static final String MMHG = VitalSign.SYSTOLIC_BP.unit();
    private static final String HR = VitalSign.HEART_RATE.code();
    private static final String PER_MIN = VitalSign.HEART_RATE.unit();
    private static final String WEIGHT = VitalSign.BODY_WEIGHT.code();
    private static final String KG = VitalSign.BODY_WEIGHT.unit();
    private static final String SPO2 = VitalSign.OXYGEN_SATURATION.code();
    private static final String PERCENT = VitalSign.OXYGEN_SATURATION.unit();
    private static final String GLUCOSE = VitalSign.GLUCOSE.code();
    private static final String MG_DL = VitalSign.GLUCOSE.unit();
    private static final String TEMP = VitalSign.BODY_TEMPERATURE.code();
    private static final String CEL = VitalSign.BODY_TEMPERATURE.unit();

    private record DeviceState(SimDevice device, String identifier, String subject, Baseline baseline) {
    }

    private final Fleet fleet;
    private final Physiology physiology;
    private final ReadingEncoder encoder;
    private final List<DeviceState> devices;

    public ReadingGenerator(Fleet fleet, Physiology physiology, ReadingEncoder encoder) {
        if (!fleet.tenant().equals(encoder.tenant())) {
            throw new IllegalArgumentException("encoder is for tenant " + encoder.tenant() + ", fleet for " + fleet.tenant());
        }
        this.fleet = fleet;
        this.physiology = physiology;
        this.encoder = encoder;
        List<DeviceState> states = new ArrayList<>(fleet.devices().size());
        for (SimPatient p : fleet.patients()) {
            Baseline baseline = Physiology.baseline(fleet, p);
            for (SimDevice d : p.devices()) {
                states.add(new DeviceState(d, d.identifier(), encoder.subject(d.identifier()), baseline));
            }
        }
        this.devices = List.copyOf(states);
    }

    /** Default physiology (2 % out-of-range episodes, UTC rhythm) and the standard encoder. */
    public static ReadingGenerator standard(Fleet fleet) {
        return new ReadingGenerator(fleet, new Physiology(), new ReadingEncoder(fleet.tenant()));
    }

    public Fleet fleet() {
        return fleet;
    }

    public ReadingEncoder encoder() {
        return encoder;
    }

    /** Number of devices; device indexes follow {@link Fleet#devices()}. */
    public int deviceCount() {
        return devices.size();
    }

    public SimDevice device(int deviceIndex) {
        return devices.get(deviceIndex).device();
    }

    /** Readings one measurement of that device yields (1 or 2). */
    public int readingsPerMeasurement(int deviceIndex) {
        return devices.get(deviceIndex).device().kind().readingsPerMeasurement();
    }

    /** Readings one measurement of every device in the fleet yields. */
    public int readingsPerRound() {
        int n = 0;
        for (DeviceKind k : DeviceKind.values()) {
            n += k.readingsPerMeasurement();
        }
        return n * fleet.patients().size();
    }

    /**
     * One measurement by a device at {@code effectiveMillis}: emits {@link #readingsPerMeasurement} messages,
     * all with that effective time (a cuff's BP panel and heart rate come from the same inflation).
     */
    public void measure(int deviceIndex, long effectiveMillis, RandomGenerator rng, Consumer<SimMessage> out) {
        DeviceState s = devices.get(deviceIndex);
        Baseline b = s.baseline();
        String id = s.identifier();
        String subject = s.subject();
        switch (s.device().kind()) {
            case BLOOD_PRESSURE_CUFF -> {
                Physiology.BloodPressure bp = physiology.bloodPressure(b, effectiveMillis, rng);
                out.accept(encoder.panel(subject, id, BP, List.of(
                        new Measurement(SYS, bp.systolic(), MMHG),
                        new Measurement(DIA, bp.diastolic(), MMHG)), effectiveMillis));
                out.accept(encoder.single(subject, id, HR, physiology.heartRate(b, effectiveMillis, rng), PER_MIN, effectiveMillis));
            }
            case SCALE -> out.accept(encoder.single(subject, id, WEIGHT, physiology.weight(b, effectiveMillis, rng), KG, effectiveMillis));
            case PULSE_OXIMETER -> {
                out.accept(encoder.single(subject, id, SPO2, physiology.spo2(b, effectiveMillis, rng), PERCENT, effectiveMillis));
                out.accept(encoder.single(subject, id, HR, physiology.heartRate(b, effectiveMillis, rng), PER_MIN, effectiveMillis));
            }
            case GLUCOMETER -> out.accept(encoder.single(subject, id, GLUCOSE, physiology.glucose(b, effectiveMillis, rng), MG_DL, effectiveMillis));
            case THERMOMETER -> out.accept(encoder.single(subject, id, TEMP, physiology.temperature(b, effectiveMillis, rng), CEL, effectiveMillis));
        }
    }
}
