package org.vigil.normalize;

import jakarta.inject.Singleton;
import org.vigil.core.ContentHash;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The edge rules every format goes through after decoding: LOINC codes Vigil knows, units converted to the
 * canonical UCUM unit (the device's value kept), physiologically impossible values refused, device clock drift
 * corrected, readings from the future or from an unset clock refused, and the content hash computed.
 */
@Singleton
public class Normalizer {
    private final NormalizeSettings settings;

    public Normalizer(NormalizeSettings settings) {
        this.settings = settings;
    }

    public Normalized normalize(Payload payload, Decoding decoding) {
        List<NormalizedReading> readings = new ArrayList<>(decoding.observations().size());
        List<Problem> problems = new ArrayList<>(decoding.problems());
        int n = decoding.observations().size();
        for (int i = 0; i < n; i++) {
            Observation o = decoding.observations().get(i);
            try {
                readings.add(normalize(payload, o));
            } catch (PayloadRejected e) {
                String where = n == 1 ? "" : "Reading " + (i + 1) + " of " + n + ": ";
                String what = " [" + o.code() + (o.device() == null ? "" : " from " + o.device())
                        + (o.deviceTime() == null ? "" : " at " + o.deviceTime()) + "]";
                String location = e.problem().location() != null ? e.problem().location() : o.location();
                problems.add(new Problem(e.problem().code(), where + e.problem().reason() + what, location));
            }
        }
        return new Normalized(readings, problems, decoding.statuses());
    }

    private NormalizedReading normalize(Payload payload, Observation o) throws PayloadRejected {
        if (o.device() == null || o.device().isBlank()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "No device identifier (serial, IMEI, MAC or EUI-64).");
        }
        VitalSign sign = VitalSign.byCode(o.code()).orElseThrow(() -> new PayloadRejected(ErrorCode.UNSUPPORTED_CODE,
                "LOINC code '" + o.code() + "' is not a vital sign Vigil accepts."));
        List<Measurement> measurements = sign.isPanel() ? panel(sign, o.measurements()) : single(sign, o.measurements());

        Instant received = payload.received();
        List<String> flags = new ArrayList<>(o.flags());
        Instant deviceTime = o.deviceTime();
        Instant effective;
        boolean corrected = false;
        if (deviceTime == null) {
            deviceTime = received;
            effective = received;
            flags.add("time:received");
        } else if (o.clockCorrection().abs().compareTo(settings.clockDriftTolerance()) > 0) {
            effective = deviceTime.plus(o.clockCorrection());
            corrected = true;
            flags.add("clock-corrected:" + o.clockCorrection().toSeconds() + "s");
        } else {
            effective = deviceTime;
        }
        if (effective.isAfter(received.plus(settings.maxFutureSkew()))) {
            throw new PayloadRejected(ErrorCode.CLOCK_ERROR, "Taken at " + effective + ", more than "
                    + minutes(settings.maxFutureSkew()) + " after it was received (" + received + "): the device clock is wrong.");
        }
        if (effective.isBefore(settings.clockNeverSet())) {
            throw new PayloadRejected(ErrorCode.CLOCK_ERROR, "Taken at " + effective + ", before "
                    + settings.clockNeverSet() + ": the device clock was never set.");
        }
        String hash = ContentHash.of(payload.tenant(), o.device(), sign.code(), deviceTime, measurements);
        return new NormalizedReading(o.device(), sign.code(), measurements, effective, deviceTime, flags, hash, corrected);
    }

    private static List<Measurement> single(VitalSign sign, List<Measurement> ms) throws PayloadRejected {
        if (ms.size() != 1 || !sign.code().equals(ms.get(0).code())) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, sign.display() + " (" + sign.code()
                    + ") is a single value; got " + ms.size() + " measurement(s).");
        }
        return List.of(canonical(sign, ms.get(0)));
    }

    private static List<Measurement> panel(VitalSign panel, List<Measurement> ms) throws PayloadRejected {
        Set<String> seen = new HashSet<>();
        List<Measurement> out = new ArrayList<>(ms.size());
        List<String> problems = new ArrayList<>();
        ErrorCode code = null;
        for (Measurement m : ms) {
            if (m == null || !panel.components().contains(m.code())) {
                problems.add("component " + (m == null ? "null" : "'" + m.code() + "'") + " does not belong to panel " + panel.code());
                code = code == null ? ErrorCode.INVALID_READING : code;
            } else if (!seen.add(m.code())) {
                problems.add("component " + m.code() + " appears twice");
                code = code == null ? ErrorCode.INVALID_READING : code;
            } else {
                try {
                    out.add(canonical(VitalSign.byCode(m.code()).orElseThrow(), m));
                } catch (PayloadRejected e) {
                    problems.add(withoutFullStop(e.problem().reason()));
                    code = code == null ? e.problem().code() : code;
                }
            }
        }
        if (problems.isEmpty() && !seen.containsAll(panel.requiredComponents())) {
            problems.add(panel.display() + " " + panel.code() + " needs components " + panel.requiredComponents());
            code = ErrorCode.INVALID_READING;
        }
        if (!problems.isEmpty()) {
            throw new PayloadRejected(code, String.join("; ", problems) + ".");
        }
        return out;
    }

    private static Measurement canonical(VitalSign sign, Measurement m) throws PayloadRejected {
        if (!Double.isFinite(m.value())) {
            throw new PayloadRejected(ErrorCode.NOT_A_NUMBER, sign.display() + " is not a number (" + m.value() + ").");
        }
        Optional<Double> value = Units.toCanonical(sign, m.value(), m.unit());
        if (value.isEmpty()) {
            throw new PayloadRejected(ErrorCode.UNSUPPORTED_UNIT, sign.display() + " (" + sign.code() + ") in '"
                    + m.unit() + "' cannot be converted to UCUM '" + sign.unit() + "'.");
        }
        double v = value.get();
        if (!sign.isPlausible(v)) {
            String as = m.value() == v ? "" : " (" + m.value() + " " + m.unit() + ")";
            throw new PayloadRejected(ErrorCode.IMPLAUSIBLE_VALUE, sign.display() + " " + v + " " + sign.unit() + as
                    + " is physiologically impossible (accepted " + sign.min() + "–" + sign.max() + " " + sign.unit() + ").");
        }
        return Units.isCanonical(sign, m.unit())
                ? new Measurement(sign.code(), v, sign.unit())
                : new Measurement(sign.code(), v, sign.unit(), m.value(), m.unit());
    }

    private static String withoutFullStop(String s) {
        return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
    }

    private static String minutes(Duration d) {
        return d.toMinutes() + " minutes";
    }
}
