package org.vigil.normalize.gatt;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.normalize.Decoding;
import org.vigil.normalize.Observation;
import org.vigil.normalize.PayloadRejected;
import org.vigil.normalize.Problem;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Collects what one characteristic value yields: observations for the parts that are usable, a problem for each
 * part that is not. Knows the device, its clock's offset, and the time to use when the device gives none.
 */
final class ObservationBuilder {
    private final Characteristic characteristic;
    private final String device;
    @Nullable
    private final Instant fallbackTime;
    private final ZoneOffset deviceZone;
    private final List<Observation> observations = new ArrayList<>(2);
    private final List<Problem> problems = new ArrayList<>(1);

    ObservationBuilder(Characteristic characteristic, String device, @Nullable Instant fallbackTime, ZoneOffset deviceZone) {
        this.characteristic = characteristic;
        this.device = device;
        this.fallbackTime = fallbackTime;
        this.deviceZone = deviceZone;
    }

    /** When the device says it measured; the fallback time when it did not say or does not know. */
    @Nullable
    Instant time(@Nullable GattDateTime deviceTime) {
        return time(deviceTime, 0);
    }

    /** As {@link #time(GattDateTime)}, shifted by an offset in minutes the device gave with it. */
    @Nullable
    Instant time(@Nullable GattDateTime deviceTime, int offsetMinutes) {
        Optional<LocalDateTime> local = deviceTime == null ? Optional.empty() : deviceTime.local();
        return local.map(t -> t.plusMinutes(offsetMinutes).toInstant(deviceZone)).orElse(fallbackTime);
    }

    /** The field's value, or null (and a problem recorded) when the device sent a special value instead. */
    @Nullable
    Double number(Ieee11073Float field, String name) {
        if (field.isSpecial()) {
            problems.add(field.notANumber(characteristic.label(), name));
            return null;
        }
        return field.value();
    }

    /** @param offset where the value starts in the characteristic value, so a later problem can point at it */
    void add(VitalSign sign, double value, String unit, @Nullable Instant time, List<String> flags, int offset) {
        add(sign, List.of(new Measurement(sign.code(), value, unit)), time, flags, offset);
    }

    void add(VitalSign sign, List<Measurement> measurements, @Nullable Instant time, List<String> flags, int offset) {
        observations.add(new Observation(device, sign.code(), measurements, time, Duration.ZERO, flags)
                .at("byte " + offset));
    }

    void problem(ErrorCode code, String sentence, @Nullable String location) {
        problems.add(new Problem(code, characteristic.label() + ": " + sentence, location));
    }

    /**
     * @throws PayloadRejected when nothing is usable; its problem carries every reason (a value may have several
     *                         unusable parts, none of which may be dropped)
     */
    Decoding result() throws PayloadRejected {
        if (!observations.isEmpty()) {
            return new Decoding(observations, problems, List.of());
        }
        if (problems.isEmpty()) {
            // every measurement maps to at least one observation or problem; this is the guard if one ever does not
            throw new PayloadRejected(ErrorCode.INVALID_READING, characteristic.label() + " carried no measurement.");
        }
        Problem first = problems.get(0);
        if (problems.size() == 1) {
            throw new PayloadRejected(first);
        }
        throw new PayloadRejected(new Problem(first.code(),
                problems.stream().map(Problem::reason).collect(Collectors.joining(" ")), first.location()));
    }
}
