package org.vigil.normalize.gatt;

/** The bits of the PLX Measurement Status field (uint16; bits 0–4 reserved). */
public enum PlxMeasurementStatus implements StatusBit {
    MEASUREMENT_ONGOING(5, "measurement-ongoing"),
    EARLY_ESTIMATED_DATA(6, "early-estimate"),
    VALIDATED_DATA(7, "validated"),
    FULLY_QUALIFIED_DATA(8, "fully-qualified"),
    DATA_FROM_MEASUREMENT_STORAGE(9, "from-storage"),
    DATA_FOR_DEMONSTRATION(10, "demonstration-data"),
    DATA_FOR_TESTING(11, "test-data"),
    CALIBRATION_ONGOING(12, "calibration-ongoing"),
    MEASUREMENT_UNAVAILABLE(13, "measurement-unavailable"),
    QUESTIONABLE_MEASUREMENT_DETECTED(14, "questionable-measurement"),
    INVALID_MEASUREMENT_DETECTED(15, "invalid-measurement");

    private final int bit;
    private final String flag;

    PlxMeasurementStatus(int bit, String flag) {
        this.bit = bit;
        this.flag = flag;
    }

    @Override
    public int bit() {
        return bit;
    }

    @Override
    public String flag() {
        return flag;
    }
}
