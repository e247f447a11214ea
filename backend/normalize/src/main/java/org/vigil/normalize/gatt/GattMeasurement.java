package org.vigil.normalize.gatt;

/** One decoded characteristic value, field by field as the Bluetooth SIG specifies it. */
public sealed interface GattMeasurement permits BloodPressureMeasurement, WeightMeasurement, GlucoseMeasurement,
        PlxSpotCheckMeasurement, PlxContinuousMeasurement, HeartRateMeasurement, TemperatureMeasurement {

    Characteristic characteristic();

    /** The Flags byte as sent. */
    int flags();
}
