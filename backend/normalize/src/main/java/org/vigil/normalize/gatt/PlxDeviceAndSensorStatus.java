package org.vigil.normalize.gatt;

/** The bits of the PLX Device and Sensor Status field (uint24; bits 16–23 reserved). */
public enum PlxDeviceAndSensorStatus implements StatusBit {
    EXTENDED_DISPLAY_UPDATE_ONGOING(0, "display-update-ongoing"),
    EQUIPMENT_MALFUNCTION_DETECTED(1, "equipment-malfunction"),
    SIGNAL_PROCESSING_IRREGULARITY_DETECTED(2, "signal-processing-irregularity"),
    INADEQUATE_SIGNAL_DETECTED(3, "inadequate-signal"),
    POOR_SIGNAL_DETECTED(4, "poor-signal"),
    LOW_PERFUSION_DETECTED(5, "low-perfusion"),
    ERRATIC_SIGNAL_DETECTED(6, "erratic-signal"),
    NONPULSATILE_SIGNAL_DETECTED(7, "nonpulsatile-signal"),
    QUESTIONABLE_PULSE_DETECTED(8, "questionable-pulse"),
    SIGNAL_ANALYSIS_ONGOING(9, "signal-analysis-ongoing"),
    SENSOR_INTERFERENCE_DETECTED(10, "sensor-interference"),
    SENSOR_UNCONNECTED_TO_USER(11, "sensor-unconnected"),
    UNKNOWN_SENSOR_CONNECTED(12, "unknown-sensor"),
    SENSOR_DISPLACED(13, "sensor-displaced"),
    SENSOR_MALFUNCTIONING(14, "sensor-malfunction"),
    SENSOR_DISCONNECTED(15, "sensor-disconnected");

    private final int bit;
    private final String flag;

    PlxDeviceAndSensorStatus(int bit, String flag) {
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
