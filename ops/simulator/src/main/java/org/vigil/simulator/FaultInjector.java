package org.vigil.simulator;

import org.vigil.core.DeviceReading;

import java.util.Arrays;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Replaces a fraction of messages with the bad input a real fleet produces, so a demo shows dead letters:
 * truncated JSON (a hub that lost power mid-upload), a device nobody registered, and a registered device
 * reporting a time before it was assigned (a thermometer whose clock reset to 2001). Its own random stream
 * decides, so the messages it leaves alone are exactly those a run without faults would publish.
 */
public final class FaultInjector implements Iterator<SimMessage> {
    public enum Fault { MALFORMED_JSON, UNKNOWN_DEVICE, BEFORE_ASSIGNMENT }

    private static final long YEAR_2001_MILLIS = 978_307_200_000L;
    private static final long YEAR_MILLIS = 365L * 86_400_000L;

    private final Iterator<SimMessage> source;
    private final double probability;
    private final ReadingEncoder encoder;
    private final SplittableRandom rng;
    private final long[] injected = new long[Fault.values().length];

    public FaultInjector(Iterator<SimMessage> source, double probability, ReadingEncoder encoder, long seed) {
        if (!(probability >= 0 && probability <= 1)) {
            throw new IllegalArgumentException("fault probability must be in [0, 1]: " + probability);
        }
        this.source = source;
        this.probability = probability;
        this.encoder = encoder;
        this.rng = new SplittableRandom(Mix.combine(seed, 0xFA017L));
    }

    @Override
    public boolean hasNext() {
        return source.hasNext();
    }

    @Override
    public SimMessage next() {
        SimMessage m = source.next();
        if (m.reading() == null || rng.nextDouble() >= probability) {
            return m;
        }
        Fault fault = Fault.values()[rng.nextInt(Fault.values().length)];
        injected[fault.ordinal()]++;
        DeviceReading r = m.reading();
        return switch (fault) {
            case MALFORMED_JSON -> new SimMessage(m.subject(), "malformed-" + m.msgId(),
                    Arrays.copyOf(m.payload(), m.payload().length / 2), null);
            case UNKNOWN_DEVICE -> encoder.encode(new DeviceReading(
                    "UNK-" + encoder.tenant().value() + "-" + DeviceIdentifiers.pad(rng.nextInt(1_000_000), 6),
                    r.code(), r.value(), r.unit(), r.effective(), r.components()));
            case BEFORE_ASSIGNMENT -> encoder.encode(new DeviceReading(r.device(), r.code(), r.value(), r.unit(),
                    IsoMillis.format(YEAR_2001_MILLIS + rng.nextLong(YEAR_MILLIS)), r.components()));
        };
    }

    /** How many messages were replaced, by fault. */
    public Map<Fault, Long> injected() {
        Map<Fault, Long> counts = new EnumMap<>(Fault.class);
        for (Fault f : Fault.values()) {
            counts.put(f, injected[f.ordinal()]);
        }
        return counts;
    }
}
