package org.vigil.normalize.hl7;

import org.vigil.core.VitalSign;

import java.util.Locale;
import java.util.Optional;

/**
 * What an OBX-3 names, in Vigil's terms: a vital sign (via the MDC table, or directly when a gateway sends LOINC),
 * or a sentence saying why it cannot be stored. The primary coding is tried first, then the alternate one.
 * A numeric MDC code is authoritative: when it is unknown, a reference id next to it is not trusted instead (a code
 * that disagrees with its own reference id is a sender bug, and guessing would store the wrong quantity).
 */
final class ObservationCodes {
    /** MDC_ATTR_TIME_ABS: the device's clock (OBX-5) next to the gateway's time (OBX-14). */
    static final int MDC_ATTR_TIME_ABS = 67975;

    sealed interface Resolved permits Mapped, Unmapped {
    }

    record Mapped(VitalSign sign) implements Resolved {
    }

    record Unmapped(String reason) implements Resolved {
    }

    private final MdcTable table;

    ObservationCodes(MdcTable table) {
        this.table = table;
    }

    Resolved resolve(ObxRow.Coding c) {
        if (c.isEmpty()) {
            return new Unmapped("OBX-3 (observation identifier) is empty.");
        }
        Resolved primary = resolve(c.id(), c.text(), c.system());
        if (primary instanceof Mapped || c.altId().isEmpty()) {
            return primary;
        }
        Resolved alternate = resolve(c.altId(), c.altText(), c.altSystem());
        return alternate instanceof Mapped ? alternate : primary;
    }

    boolean isTimeAbs(ObxRow.Coding c) {
        return mdcCode(c.id()).map(code -> code == MDC_ATTR_TIME_ABS).orElse(false)
                || "MDC_ATTR_TIME_ABS".equals(c.text()) && c.id().isEmpty();
    }

    private Resolved resolve(String id, String text, String system) {
        String sys = system.toUpperCase(Locale.ROOT);
        String shown = text.isEmpty() ? id : id + " (" + text + ")";
        if (sys.equals("LN") || sys.equals("LOINC")) {
            return VitalSign.byCode(id).<Resolved>map(Mapped::new)
                    .orElseGet(() -> new Unmapped("LOINC " + shown + " is not a vital sign Vigil accepts."));
        }
        if (!sys.isEmpty() && !sys.equals("MDC")) {
            return new Unmapped("OBX-3 code " + shown + " is in coding system '" + system
                    + "'; Vigil maps MDC (IEEE 11073-10101) and LOINC codes.");
        }
        Optional<Integer> code = mdcCode(id);
        Optional<MdcTable.Entry> entry = code.isPresent() ? table.byCode(code.get())
                : table.byRefId(id.startsWith("MDC_") ? id : text);
        if (entry.isEmpty()) {
            return new Unmapped("MDC code " + shown + " is not in Vigil's MDC→LOINC table.");
        }
        MdcTable.Entry e = entry.get();
        if (e.loinc().isEmpty()) {
            return new Unmapped("MDC code " + shown + " has no LOINC pairing in Vigil's MDC→LOINC table.");
        }
        return e.vitalSign().<Resolved>map(Mapped::new).orElseGet(() -> new Unmapped("MDC code " + shown
                + " maps to LOINC " + e.loinc() + ", which is not a vital sign Vigil accepts."));
    }

    private static Optional<Integer> mdcCode(String id) {
        if (id.isEmpty() || id.length() > 9 || !id.chars().allMatch(Character::isDigit)) {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(id));
    }
}
