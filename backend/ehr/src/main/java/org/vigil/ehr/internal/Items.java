package org.vigil.ehr.internal;

import io.micronaut.core.annotation.Nullable;
import org.vigil.alerting.Band;
import org.vigil.alerting.PatientRules;
import org.vigil.alerting.Rule;
import org.vigil.core.Measurement;
import org.vigil.core.Reading;
import org.vigil.ehr.DeviceInfo;
import org.vigil.ehr.Interpretation;
import org.vigil.ehr.ObservationItem;

import java.util.LinkedHashMap;
import java.util.Map;

/** Readings as outbox items. */
final class Items {
    private Items() {
    }

    static ObservationItem of(Reading r, DeviceInfo device, PatientRules rules, @Nullable ObservationItem.AlertNote alert) {
        Map<String, Band> bands = bands(r, rules);
        Band worst = null;
        for (Band b : bands.values()) {
            worst = worst == null || rank(b) > rank(worst) ? b : worst;
        }
        Interpretation flag = worst == null ? null : interpretation(worst);
        if (alert != null && (flag == null || flag == Interpretation.NORMAL)) {
            flag = Interpretation.ABNORMAL;  // a trend or a combination raised it: abnormal, though in range
        }
        Map<String, Interpretation> components = new LinkedHashMap<>();
        if (r.measurements().size() > 1) {
            bands.forEach((code, band) -> components.put(code, interpretation(band)));
        }
        return new ObservationItem(r.code(), r.measurements(), r.effective(), r.received(), device, r.contentHash(),
                r.flags(), flag, alert, components);
    }

    /**
     * Each measurement against the patient's band for its code, as a lab result against its reference range (the
     * worst where several programs set one); a measurement no band covers is left out (the EHR applies its own).
     */
    private static Map<String, Band> bands(Reading r, PatientRules rules) {
        Map<String, Band> bands = new LinkedHashMap<>();
        for (Measurement m : r.measurements()) {
            for (Rule rule : rules.rules()) {
                if (rule instanceof Rule.Threshold t && t.thresholds().code().equals(m.code())) {
                    bands.merge(m.code(), t.thresholds().classify(m.value()), (a, b) -> rank(b) > rank(a) ? b : a);
                }
            }
        }
        return bands;
    }

    private static Interpretation interpretation(Band band) {
        switch (band) {
            case CRITICAL_HIGH:
                return Interpretation.CRITICAL_HIGH;
            case CRITICAL_LOW:
                return Interpretation.CRITICAL_LOW;
            case HIGH:
                return Interpretation.HIGH;
            case LOW:
                return Interpretation.LOW;
            default:
                return Interpretation.NORMAL;
        }
    }

    private static int rank(Band b) {
        return b.critical() ? 2 : b == Band.NORMAL ? 0 : 1;
    }
}
