package org.vigil.ehr.fhir;

import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.SummaryItem;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The wording and number formatting both renderings share, so that a FHIR note and an HL7 NTE say the same thing
 * and a value reads the same in an Observation and an OBX. (Used by {@code org.vigil.ehr.hl7} too; it would sit in
 * {@code org.vigil.ehr} if this package owned that one.)
 */
public final class ReadingText {

    /**
     * Flags a clinician reading the result should see: the device doubting its own measurement, or context that
     * changes how the value reads. The rest (sequence numbers, user slots, RR intervals, clock bookkeeping) is ours.
     * An allow-list, not a deny-list: a note in the chart is clinical content, and a new technical flag must not
     * appear there unreviewed.
     */
    private static final Set<String> CLINICAL_FLAGS = Set.of(
            // blood pressure cuffs
            "irregular-pulse", "body-movement", "cuff-too-loose", "improper-position",
            "pulse-rate:above-range", "pulse-rate:below-range",
            // heart rate straps
            "sensor-contact:not-detected",
            // glucometers
            "result-above-device-range", "result-below-device-range", "sample-size-insufficient",
            "strip-insertion-error", "strip-type-incorrect", "strip-pulled-too-soon", "sensor-temperature-too-high",
            "sensor-temperature-too-low", "sensor-malfunction", "device-fault", "time-fault",
            // pulse oximeters
            "early-estimate", "questionable-measurement", "invalid-measurement", "calibration-ongoing",
            "equipment-malfunction", "signal-processing-irregularity", "inadequate-signal", "poor-signal",
            "low-perfusion", "erratic-signal", "nonpulsatile-signal", "questionable-pulse", "sensor-interference",
            "sensor-unconnected", "unknown-sensor", "sensor-displaced", "sensor-disconnected",
            // data that is not the patient's
            "demonstration-data", "test-data",
            // the device sent no time: the effective time is when we received it
            "time:received");

    /** Flag keys ({@code key:value}) whose every value is clinical context. */
    private static final Set<String> CLINICAL_KEYS = Set.of(
            "statistic", "position", "measurement-location", "temporal-relationship-to-meal",
            "temporal-relationship-to-sleep", "temporal-relationship-to-physical-activity", "specimen-source",
            "glucose-type", "sample-location", "temperature-type");

    /** Flags whose words alone would not say it. */
    private static final Map<String, String> WORDING = Map.of(
            "time:received", "no measurement time (the time it was received is shown)");

    private ReadingText() {
    }

    /**
     * A measured value as sent: at most two decimals, without trailing zeros. None of our devices resolves a
     * hundredth of its unit, and a converted value (180 lb is 81.646627 kg at the edge) must not claim it; a cuff's
     * whole mmHg stays 120, not 120.0.
     */
    public static BigDecimal decimal(double value) {
        return plain(BigDecimal.valueOf(value).setScale(2, RoundingMode.HALF_UP));
    }

    /** A mean over readings: one decimal, enough to trend and no more than the readings resolve. */
    public static BigDecimal mean(double value) {
        return plain(BigDecimal.valueOf(value).setScale(1, RoundingMode.HALF_UP));
    }

    /** "Device reported: irregular pulse, statistic: maximum." when any flag is clinical. */
    public static Optional<String> flagsNote(List<String> flags) {
        List<String> shown = flags.stream().filter(ReadingText::isClinical).map(ReadingText::words).toList();
        return shown.isEmpty() ? Optional.empty()
                : Optional.of("Device reported: " + String.join(", ", shown) + ".");
    }

    public static String alertNote(ObservationItem.AlertNote alert) {
        return "Vigil alert (" + alert.severity() + "): " + alert.summary();
    }

    /** "mean of 12 readings, range 118 to 141 mm[Hg]": ASCII, as HL7 v2 text should be. */
    public static String statistics(long count, double min, double max, String unit) {
        return "mean of " + count + (count == 1 ? " reading" : " readings") + ", range "
                + decimal(min).toPlainString() + " to " + decimal(max).toPlainString() + " " + unit;
    }

    /** "Mean of 12 readings, range 118 to 141 mm[Hg]." */
    public static String statisticsSentence(SummaryItem.Stat stat) {
        String text = statistics(stat.count(), stat.min(), stat.max(), stat.unit());
        return Character.toUpperCase(text.charAt(0)) + text.substring(1) + ".";
    }

    /** Text that came from elsewhere may hold line breaks, which an NTE or a short note should not. */
    public static String oneLine(String text) {
        return text.strip().lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining(" "));
    }

    private static BigDecimal plain(BigDecimal d) {
        BigDecimal stripped = d.stripTrailingZeros();
        return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
    }

    static boolean isClinical(String flag) {
        int colon = flag.indexOf(':');
        return CLINICAL_FLAGS.contains(flag) || colon > 0 && CLINICAL_KEYS.contains(flag.substring(0, colon));
    }

    private static String words(String flag) {
        String wording = WORDING.get(flag);
        return wording != null ? wording : flag.replace(":", ": ").replace('-', ' ').replace('_', ' ');
    }
}
