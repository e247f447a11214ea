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

/** Readings as outbox items. */
final class Items {
    private Items() {
    }

    static ObservationItem of(Reading r, DeviceInfo device, PatientRules rules, @Nullable ObservationItem.AlertNote alert) {
        Interpretation flag = interpret(r, rules);
        if (alert != null && (flag == null || flag == Interpretation.NORMAL)) {
            flag = Interpretation.ABNORMAL;  // a trend or a combination raised it: abnormal, though in range
        }
        return new ObservationItem(r.code(), r.measurements(), r.effective(), r.received(), device, r.contentHash(),
                r.flags(), flag, alert);
    }

    /**
     * The reading against the patient's bands, as a lab result against its reference range: the worst band of its
     * measurements; null when no band covers any of them (the EHR then applies its own ranges).
     */
    @Nullable
    static Interpretation interpret(Reading r, PatientRules rules) {
        Band worst = null;
        for (Measurement m : r.measurements()) {
            for (Rule rule : rules.rules()) {
                if (rule instanceof Rule.Threshold t && t.thresholds().code().equals(m.code())) {
                    Band b = t.thresholds().classify(m.value());
                    worst = worst == null || rank(b) > rank(worst) ? b : worst;
                }
            }
        }
        if (worst == null) {
            return null;
        }
        switch (worst) {
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
