package org.vigil.normalize.hl7;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * IEEE 11073-10101 dimension codes (partition 4, MDC_PART_DIM: code = 4 × 65536 + term code) and reference ids,
 * as PCD-01 senders put them in OBX-6, with the UCUM spelling {@link org.vigil.normalize.Units} converts from.
 * Term codes as in the 11073-20601 nomenclature headers (e.g. MDC_DIM_MMHG 3872 → 266016).
 */
final class MdcUnits {
    private record Unit(int code, String refId, String ucum) {
    }

    private static final int PARTITION_DIM = 4 << 16;

    private static final List<Unit> UNITS = List.of(
            new Unit(544, "MDC_DIM_PERCENT", "%"),
            new Unit(1728, "MDC_DIM_X_G", "g"),
            new Unit(1731, "MDC_DIM_KILO_G", "kg"),
            new Unit(1760, "MDC_DIM_LB", "[lb_av]"),
            new Unit(1280, "MDC_DIM_X_M", "m"),
            new Unit(1297, "MDC_DIM_CENTI_M", "cm"),
            new Unit(1376, "MDC_DIM_INCH", "[in_i]"),
            new Unit(1952, "MDC_DIM_KG_PER_M_SQ", "kg/m2"),
            new Unit(2720, "MDC_DIM_BEAT_PER_MIN", "/min"),
            new Unit(2784, "MDC_DIM_RESP_PER_MIN", "/min"),
            new Unit(3843, "MDC_DIM_KILO_PASCAL", "kPa"),
            new Unit(3872, "MDC_DIM_MMHG", "mm[Hg]"),
            new Unit(4416, "MDC_DIM_FAHR", "[degF]"),
            new Unit(6048, "MDC_DIM_DEGC", "Cel"),
            new Unit(2130, "MDC_DIM_MILLI_G_PER_DL", "mg/dL"),
            new Unit(4722, "MDC_DIM_MILLI_MOLE_PER_L", "mmol/L"));

    private static final Map<Integer, String> BY_CODE = UNITS.stream()
            .collect(Collectors.toUnmodifiableMap(u -> PARTITION_DIM + u.code(), Unit::ucum));
    private static final Map<String, String> BY_REF_ID = UNITS.stream()
            .collect(Collectors.toUnmodifiableMap(Unit::refId, Unit::ucum));

    private MdcUnits() {
    }

    static Optional<String> byCode(int code) {
        return Optional.ofNullable(BY_CODE.get(code));
    }

    static Optional<String> byRefId(String refId) {
        return Optional.ofNullable(BY_REF_ID.get(refId));
    }
}
