package org.vigil.normalize.omh;

import com.fasterxml.jackson.databind.JsonNode;
import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.normalize.IsoInstant;
import org.vigil.normalize.PayloadRejected;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a body's {@code effective_time_frame} into the one instant Vigil files the reading under. A reading over an
 * interval is filed under the interval's end (when the value was complete) and keeps its start as a flag.
 */
final class OmhTimeFrame {
    private static final String FRAME = "/body/effective_time_frame";
    private static final String INTERVAL = FRAME + "/time_interval";
    /**
     * Seconds per duration unit of the OMH and IEEE duration-unit-value schemas. Months and years have no fixed
     * length; UCUM's mean Julian month (30.4375 d) and year (365.25 d) are used.
     */
    private static final Map<String, BigDecimal> SECONDS_PER_UNIT = Map.ofEntries(
            Map.entry("ps", new BigDecimal("1e-12")), Map.entry("ns", new BigDecimal("1e-9")),
            Map.entry("us", new BigDecimal("1e-6")), Map.entry("ms", new BigDecimal("1e-3")),
            Map.entry("sec", BigDecimal.ONE), Map.entry("min", BigDecimal.valueOf(60)),
            Map.entry("h", BigDecimal.valueOf(3_600)), Map.entry("d", BigDecimal.valueOf(86_400)),
            Map.entry("wk", BigDecimal.valueOf(604_800)), Map.entry("Mo", BigDecimal.valueOf(2_629_800)),
            Map.entry("yr", BigDecimal.valueOf(31_557_600)));
    /** No measurement interval is longer than a lifetime; beyond this the arithmetic would overflow anyway. */
    private static final BigDecimal MAX_SECONDS = BigDecimal.valueOf(200L * 31_557_600);

    /**
     * @param at    when the reading was taken, or null when the time frame gives no instant (absent, or a date
     *              with a part of day such as "evening" and no time zone)
     * @param flags what else the time frame said: {@code interval-start:<instant>} (given, or computed from the end
     *              and the duration), {@code interval-reversed} (it ends before it starts), {@code date:…} and
     *              {@code part-of-day:…}
     */
    record Timing(@Nullable Instant at, List<String> flags) {
    }

    private OmhTimeFrame() {
    }

    static Timing of(JsonNode body) throws PayloadRejected {
        JsonNode frame = body.path("effective_time_frame");
        if (frame.isMissingNode()) {
            return new Timing(null, List.of());
        }
        if (frame.has("date_time")) {
            return new Timing(instant(frame.get("date_time"), FRAME + "/date_time"), List.of());
        }
        JsonNode interval = frame.path("time_interval");
        Instant start = optionalInstant(interval, "start_date_time");
        Instant end = optionalInstant(interval, "end_date_time");
        Duration duration = interval.has("duration") ? duration(interval.get("duration")) : null;
        if (end == null && start != null && duration != null) {
            end = plus(start, duration);
        } else if (start == null && end != null && duration != null) {
            start = plus(end, duration.negated());
        }
        if (end != null) {
            List<String> flags = new ArrayList<>(2);
            if (start != null) {
                flags.add("interval-start:" + start);
                if (end.isBefore(start)) {
                    // schema-valid, so kept (the corpus has one); flagged because the sender's clock or code is off
                    flags.add("interval-reversed");
                }
            }
            return new Timing(end, flags);
        }
        if (interval.path("date").isTextual() && interval.path("part_of_day").isTextual()) {
            return new Timing(null, List.of("date:" + interval.get("date").textValue(),
                    "part-of-day:" + interval.get("part_of_day").textValue()));
        }
        throw new PayloadRejected(ErrorCode.INVALID_READING, "effective_time_frame gives no instant Vigil can place: it"
                + " needs a date_time, or a time_interval with an end_date_time, a start_date_time and a duration, or a"
                + " date and a part_of_day.", FRAME);
    }

    private static Instant optionalInstant(JsonNode interval, String field) throws PayloadRejected {
        return interval.has(field) ? instant(interval.get(field), INTERVAL + "/" + field) : null;
    }

    /** An RFC 3339 date-time; {@code pointer} says where it is when it cannot be read. */
    static Instant instant(JsonNode node, String pointer) throws PayloadRejected {
        if (!node.isTextual()) {
            throw new PayloadRejected(ErrorCode.INVALID_READING,
                    "The date-time at " + pointer + " is not a string.", pointer);
        }
        try {
            // RFC 3339 allows a lower-case 't' and 'z', which java.time does not read
            return IsoInstant.parse(node.textValue().toUpperCase(Locale.ROOT));
        } catch (DateTimeException e) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "The date-time at " + pointer + " ('"
                    + node.textValue() + "') is not an RFC 3339 date-time with a time zone.", pointer);
        }
    }

    private static Duration duration(JsonNode node) throws PayloadRejected {
        String pointer = INTERVAL + "/duration";
        BigDecimal perUnit = SECONDS_PER_UNIT.get(node.path("unit").asText());
        JsonNode value = node.path("value");
        if (perUnit == null || !value.isNumber() || !Double.isFinite(value.doubleValue())) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "The duration at " + pointer
                    + " needs a numeric value and a unit among " + SECONDS_PER_UNIT.keySet() + ".", pointer);
        }
        BigDecimal seconds = value.decimalValue().multiply(perUnit);
        if (seconds.abs().compareTo(MAX_SECONDS) > 0) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "The duration at " + pointer + " ("
                    + value.asText() + " " + node.path("unit").asText() + ") is longer than 200 years.", pointer);
        }
        BigDecimal rounded = seconds.setScale(9, RoundingMode.HALF_UP);
        long whole = rounded.longValue();
        long nanos = rounded.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
        return Duration.ofSeconds(whole, nanos);
    }

    private static Instant plus(Instant instant, Duration duration) throws PayloadRejected {
        try {
            return instant.plus(duration);
        } catch (DateTimeException | ArithmeticException e) {
            throw new PayloadRejected(ErrorCode.INVALID_READING, "The time interval at " + INTERVAL
                    + " ends outside the range of dates Vigil can represent.", INTERVAL);
        }
    }
}
