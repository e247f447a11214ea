package org.vigil.simulator;

import java.util.List;

/**
 * The five device kinds every simulated patient has. {@link #code()} is the value of {@code devices.kind} in
 * PostgreSQL. Each kind reports under one identifier type because that is how the real ones ship: BLE cuffs,
 * scales and glucometers print a serial, the oximeter is paired by its MAC, the cellular thermometer by IMEI.
 */
public enum DeviceKind {
    BLOOD_PRESSURE_CUFF("blood-pressure-cuff", IdentifierType.SERIAL, "BPC", 2,
            List.of("A&D UA-651BLE", "Omron BP7350", "Withings BPM Connect")),
    SCALE("scale", IdentifierType.SERIAL, "SCL", 1,
            List.of("A&D UC-352BLE", "Withings Body+", "Tenovi Scale TS-1")),
    PULSE_OXIMETER("pulse-oximeter", IdentifierType.MAC, null, 2,
            List.of("Nonin 3230", "Masimo MightySat", "iHealth Air PO3M")),
    GLUCOMETER("glucometer", IdentifierType.SERIAL, "GLU", 3,
            List.of("Accu-Chek Guide Me", "Contour Next One", "OneTouch Verio Flex")),
    THERMOMETER("thermometer", IdentifierType.IMEI, null, 1,
            List.of("Transtek TMT-C (cellular)", "Tellihealth CT-1 (cellular)"));

    public enum IdentifierType { SERIAL, MAC, IMEI }

    private final String code;
    private final IdentifierType identifierType;
    private final String serialPrefix;
    private final int liveWeight;
    private final List<String> models;

    DeviceKind(String code, IdentifierType identifierType, String serialPrefix, int liveWeight, List<String> models) {
        this.code = code;
        this.identifierType = identifierType;
        this.serialPrefix = serialPrefix;
        this.liveWeight = liveWeight;
        this.models = models;
    }

    public String code() {
        return code;
    }

    public IdentifierType identifierType() {
        return identifierType;
    }

    String serialPrefix() {
        return serialPrefix;
    }

    /** Relative measurement frequency in live mode: patients check glucose more often than they step on a scale. */
    int liveWeight() {
        return liveWeight;
    }

    List<String> models() {
        return models;
    }

    /** Readings one measurement produces: a cuff and an oximeter also report the heart rate. */
    public int readingsPerMeasurement() {
        return this == BLOOD_PRESSURE_CUFF || this == PULSE_OXIMETER ? 2 : 1;
    }
}
