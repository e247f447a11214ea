package org.vigil.alerting;

import org.vigil.core.Measurement;
import org.vigil.core.Reading;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The thresholds that apply to one patient: a program's defaults (hypertension, heart failure, …), possibly
 * overridden per code for that patient.
 */
public record ThresholdProfile(String name, List<Thresholds> thresholds) {

    public ThresholdProfile {
        thresholds = List.copyOf(thresholds);
    }

    /** Every problem with the profile, each naming its field under {@code at}; empty when it can be used. */
    public List<String> problems(String at) {
        List<String> out = new ArrayList<>();
        Set<String> codes = new HashSet<>();
        for (int i = 0; i < thresholds.size(); i++) {
            Thresholds t = thresholds.get(i);
            String field = at + ".thresholds[" + i + "]";
            out.addAll(t.problems(field));
            if (!codes.add(t.code())) {
                out.add(field + ".code: " + t.code() + " already has thresholds in this profile.");
            }
        }
        return out;
    }

    /** This profile with the patient's own thresholds in place of the program's, code by code. */
    public ThresholdProfile overriddenBy(ThresholdProfile patient) {
        Map<String, Thresholds> byCode = new LinkedHashMap<>();
        thresholds.forEach(t -> byCode.put(t.code(), t));
        patient.thresholds.forEach(t -> byCode.put(t.code(), t));
        return new ThresholdProfile(name + "+" + patient.name, List.copyOf(byCode.values()));
    }

    /**
     * The breaches a reading makes, one per measured code outside its normal band. A component the reading does
     * not carry is not judged; a measurement in another unit than its thresholds is reported, never compared.
     */
    public Evaluation evaluate(Reading reading) {
        List<Breach> breaches = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (Measurement m : reading.measurements()) {
            for (Thresholds t : thresholds) {
                if (!t.code().equals(m.code())) {
                    continue;
                }
                if (!t.unit().equals(m.unit())) {
                    skipped.add(m.code() + " is in '" + m.unit() + "', its thresholds in '" + t.unit() + "'");
                    continue;
                }
                Band band = t.classify(m.value());
                if (band != Band.NORMAL) {
                    breaches.add(new Breach(m.code(), band, m.value(), t.limit(band)));
                }
            }
        }
        return new Evaluation(breaches, skipped);
    }

    /** One value outside its normal band. */
    public record Breach(String code, Band band, double value, double limit) {
    }

    /** @param skipped measurements that could not be judged, and why */
    public record Evaluation(List<Breach> breaches, List<String> skipped) {
    }
}
