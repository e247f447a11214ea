package org.vigil.ehr.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.FhirVersionEnum;
import io.micronaut.core.annotation.Nullable;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.vigil.ehr.DeviceInfo;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.SummaryItem;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

/**
 * Outbox items as FHIR R4 resources. Pure: the same item renders the same resource every time, so a re-send is
 * recognised by the EHR (conditional create on the identifiers below) and the rendering can be tested offline.
 * Thread-safe; the FhirContext is only used to serialise a Device for {@link #deviceHash}.
 * <p>
 * Identifier systems. Ours are URNs under {@code urn:vigil:} because the values are ours (a content hash, a
 * registry id) and no EHR has a namespace for them. IMEI uses the GSMA's URN namespace (RFC 7254), so any system
 * that knows a modem by its IMEI matches; MAC uses {@code http://hl7.org/fhir/sid/eui-48}, the EUI-48 system of the
 * PHD IG (which narrows it to {@code /bluetooth} or {@code /ethernet}; we do not know the transport of a reported
 * MAC). Serial numbers are unique only per manufacturer and no global namespace exists, so they get a system of
 * ours and are never what a Device is matched by.
 */
public final class FhirResources {
    /** A reading's identifier; the value is its content hash. */
    public static final String READING_SYSTEM = "urn:vigil:reading";
    /** A summary's identifier; the value is {@code <patientId>:<period>:<start>[:<code>]}. */
    public static final String SUMMARY_SYSTEM = "urn:vigil:summary";
    /** The registry's device id: the identifier a Device is matched by (see {@link #deviceConditionalUrl}). */
    public static final String DEVICE_SYSTEM = "urn:vigil:device";
    public static final String SERIAL_SYSTEM = "urn:vigil:device-serial";
    public static final String IMEI_SYSTEM = "urn:gsma:imei";
    public static final String MAC_SYSTEM = "http://hl7.org/fhir/sid/eui-48";

    private final FhirContext context;

    public FhirResources(FhirContext context) {
        if (context.getVersion().getVersion() != FhirVersionEnum.R4) {
            throw new IllegalArgumentException("FHIR R4 resources need an R4 FhirContext, not "
                    + context.getVersion().getVersion() + ".");
        }
        this.context = context;
    }

    /**
     * A vital-signs Observation conforming to the specific R4 profile of the reading's code (glucose: a
     * laboratory Observation; steps: activity).
     *
     * @throws IllegalArgumentException when the code is not a Vigil vital sign or the measurements do not fit it
     */
    public Observation observation(ObservationItem item, Reference subject, @Nullable Reference device) {
        return ReadingObservations.observation(item, subject, device);
    }

    /** The If-None-Exist query of a reading: {@code identifier=urn:vigil:reading|<hash>}. */
    public String conditionalCreate(ObservationItem item) {
        return "identifier=" + FhirTypes.token(READING_SYSTEM, item.contentHash());
    }

    /** The If-None-Exist query of any resource rendered here, from its identifier. */
    public String conditionalCreate(Identifier identifier) {
        return "identifier=" + FhirTypes.token(identifier.getSystem(), identifier.getValue());
    }

    public Device device(DeviceInfo d) {
        return Devices.device(d);
    }

    /**
     * {@code Device?identifier=urn:vigil:device|<deviceId>}, unencoded as in {@code Bundle.entry.request.url}.
     * The registry id, not the serial, IMEI or MAC: it is always present (all three are optional), unique across
     * manufacturers (serials are not), and it is what our Device stands for, so a conditional update finds the
     * one we created. (URL-encode it for an HTTP request line.)
     */
    public String deviceConditionalUrl(DeviceInfo d) {
        return "Device?identifier=" + FhirTypes.token(DEVICE_SYSTEM, d.deviceId().toString());
    }

    /**
     * SHA-256 (hex) of the Device as sent, in JSON: when it differs from the hash recorded at the last send, the
     * EHR's copy is out of date. A new rendering (a new HAPI version included) changes it once, which costs one
     * update.
     */
    public String deviceHash(DeviceInfo d) {
        String json = context.newJsonParser().encodeResourceToString(device(d));
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256.", e);
        }
    }

    /** Per vital one Observation of its specific profile, over the period, valued with the mean. */
    public List<Observation> summaryObservations(SummaryItem s, UUID patientId, Reference subject) {
        return Summaries.observations(s, patientId, subject);
    }

    /** A DiagnosticReport grouping a summary's Observations ({@code results}), with the statistics in its conclusion. */
    public DiagnosticReport summaryReport(SummaryItem s, UUID patientId, Reference subject, List<Reference> results) {
        return Summaries.report(s, patientId, subject, results);
    }

    public Bundle transaction(List<Bundle.BundleEntryComponent> entries) {
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        entries.forEach(bundle::addEntry);
        return bundle;
    }

    /**
     * A conditional create in a transaction. Its fullUrl is a name-based UUID of the condition, so the same
     * resource gets the same fullUrl in every rendering of the bundle, and other entries can reference it.
     */
    public Bundle.BundleEntryComponent createEntry(Resource r, String ifNoneExist) {
        Bundle.BundleEntryComponent entry = entry(r, r.fhirType() + "?" + ifNoneExist);
        entry.getRequest().setMethod(Bundle.HTTPVerb.POST).setUrl(r.fhirType()).setIfNoneExist(ifNoneExist);
        return entry;
    }

    /**
     * A conditional update in a transaction ({@code PUT Device?identifier=…}): how a Device whose
     * {@link #deviceHash} changed is brought up to date, created if the EHR does not have it.
     */
    public Bundle.BundleEntryComponent updateEntry(Resource r, String conditionalUrl) {
        Bundle.BundleEntryComponent entry = entry(r, conditionalUrl);
        entry.getRequest().setMethod(Bundle.HTTPVerb.PUT).setUrl(conditionalUrl);
        return entry;
    }

    private static Bundle.BundleEntryComponent entry(Resource r, String condition) {
        UUID id = UUID.nameUUIDFromBytes(condition.getBytes(StandardCharsets.UTF_8));
        return new Bundle.BundleEntryComponent().setFullUrl("urn:uuid:" + id).setResource(r);
    }
}
