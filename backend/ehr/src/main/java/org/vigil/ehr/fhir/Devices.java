package org.vigil.ehr.fhir;

import io.micronaut.core.annotation.Nullable;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Device;
import org.vigil.ehr.DeviceInfo;

import java.util.Locale;
import java.util.Map;

/**
 * A registry device as a FHIR Device.
 * <p>
 * Its type is the IEEE 11073-10101 device specialization (MDC_DEV_SPEC_PROFILE_*, the codes PCD-01 messages and
 * the PHD IG use for what a device is), for a hub the PHD IG's MDC_MOC_VMS_MDS_AHD. The PHD IG puts
 * MDC_MOC_VMS_MDS_SIMP ("a simple personal health device") in {@code type} and the specialization in
 * {@code specialization}; an EHR lists devices by {@code type}, where "simple PHD" tells a clinician nothing, so
 * the specialization goes in both.
 */
final class Devices {
    static final String MDC = "urn:iso:std:iso:11073:10101";
    private static final String V2_0203 = "http://terminology.hl7.org/CodeSystem/v2-0203";
    /** The registry's kinds; code = partition 8 (65536 × 8) + the specialization's term code. */
    private static final Map<String, Coding> TYPES = Map.of(
            "blood-pressure-cuff", new Coding(MDC, "528391", "MDC_DEV_SPEC_PROFILE_BP"),
            "scale", new Coding(MDC, "528399", "MDC_DEV_SPEC_PROFILE_SCALE"),
            "glucometer", new Coding(MDC, "528401", "MDC_DEV_SPEC_PROFILE_GLUCOSE"),
            "pulse-oximeter", new Coding(MDC, "528388", "MDC_DEV_SPEC_PROFILE_PULS_OXIM"),
            "thermometer", new Coding(MDC, "528392", "MDC_DEV_SPEC_PROFILE_TEMP"),
            // IEEE 11073-10441, cardiovascular fitness and activity monitor: heart rate and steps
            "wearable", new Coding(MDC, "528425", "MDC_DEV_SPEC_PROFILE_HF_CARDIO"),
            "hub", new Coding(MDC, "531981", "MDC_MOC_VMS_MDS_AHD"));
    private static final Map<String, String> TEXTS = Map.of(
            "blood-pressure-cuff", "Blood pressure cuff", "scale", "Weighing scale", "glucometer", "Blood glucose meter",
            "pulse-oximeter", "Pulse oximeter", "thermometer", "Thermometer",
            "wearable", "Wearable activity and heart rate monitor", "hub", "Home monitoring hub");

    private Devices() {
    }

    static Device device(DeviceInfo d) {
        Device device = new Device();
        device.addIdentifier(FhirTypes.identifier(FhirResources.DEVICE_SYSTEM, d.deviceId().toString()));
        if (present(d.serial())) {
            device.addIdentifier(FhirTypes.identifier(FhirResources.SERIAL_SYSTEM, d.serial())
                    .setType(new CodeableConcept(new Coding(V2_0203, "SNO", "Serial Number"))));
            device.setSerialNumber(d.serial());
        }
        if (present(d.imei())) {
            device.addIdentifier(FhirTypes.identifier(FhirResources.IMEI_SYSTEM, d.imei()));
        }
        if (present(d.mac())) {
            device.addIdentifier(FhirTypes.identifier(FhirResources.MAC_SYSTEM, eui48(d.mac())));
        }
        device.setStatus(Device.FHIRDeviceStatus.ACTIVE);
        device.setType(type(d.kind()));
        Coding specialization = TYPES.get(d.kind());
        if (specialization != null && !"hub".equals(d.kind())) {
            device.addSpecialization().setSystemType(new CodeableConcept(specialization.copy()));
        }
        device.setModelNumber(d.model());
        device.addDeviceName().setName(d.model()).setType(Device.DeviceNameType.MODELNAME);
        return device;
    }

    /** A kind we have no code for still says what it is in text. */
    static CodeableConcept type(String kind) {
        Coding coding = TYPES.get(kind);
        CodeableConcept type = new CodeableConcept().setText(TEXTS.getOrDefault(kind, kind));
        return coding == null ? type : type.addCoding(coding.copy());
    }

    /**
     * The IEEE canonical form of an EUI-48 (00-E5-DE-AD-77-C3, as the PHD IG writes it), so that one MAC written
     * as aa:bb:… by one hub and AABB… by another is one identifier; anything else is kept as reported.
     */
    static String eui48(String mac) {
        String hex = mac.replaceAll("[-:.\\s]", "").toUpperCase(Locale.ROOT);
        if (!hex.matches("[0-9A-F]{12}")) {
            return mac;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 12; i += 2) {
            b.append(i == 0 ? "" : "-").append(hex, i, i + 2);
        }
        return b.toString();
    }

    private static boolean present(@Nullable String s) {
        return s != null && !s.isBlank();
    }
}
