package org.vigil.ehr.hl7;

import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.ehr.Interpretation;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.PatientIdentity;
import org.vigil.ehr.SummaryItem;
import org.vigil.ehr.fhir.ItemShape;
import org.vigil.ehr.fhir.ReadingText;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.List;

/**
 * Outbox items as HL7 v2 ORU^R01 (ER7, segments separated by CR; MSH-18 declares UTF-8, so the transport must
 * write the bytes in UTF-8). Pure: the same item, header, control id and time give the same message.
 * <p>
 * A reading is one OBR (OBR-3 its content hash, OBR-4 its LOINC code) and one OBX per measurement: OBX-4 "1" for
 * a single value, "1.n" for the n-th component of a panel; OBX-8 the interpretation; OBX-18 the identifier the
 * device reported. The alert and the device's clinical flags are NTEs on the OBR.
 * <p>
 * A summary is one OBR over the period (OBR-7 start, OBR-8 end, OBR-4 LOINC 85353-1, the vital-signs panel) and
 * per measured code four OBX sharing one sub-id ("i" for the i-th vital, "i.n" for a panel's n-th component):
 * <ul>
 * <li>the mean under the code's own LOINC code, so it files and trends with the readings, marked by OBX-17
 *     {@code average} and explained by an NTE ("Mean of 12 readings, range 118 to 141 mm[Hg].");</li>
 * <li>minimum, maximum and count under local codes ({@code <loinc>:minimum}, {@code :maximum}, {@code :count},
 *     coding system {@value #LOCAL}), so that a receiver that has not mapped them cannot file a maximum or a count
 *     as another reading of the vital; count is NM in {@code {readings}}.</li>
 * </ul>
 * The statistic words are those of FHIR's observation-statistics code system, which the FHIR summary uses too.
 */
public final class OruMessages {
    /** HL7 table 0396: 99zzz, a local coding system. */
    static final String LOCAL = "99VGL";
    private static final OruBuilder.Code SUMMARY_SERVICE = new OruBuilder.Code("85353-1",
            "Vital signs, weight, height, head circumference, oxygen saturation and BMI panel", "LN");
    private static final char[] BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

    private OruMessages() {
    }

    /**
     * One reading.
     *
     * @param assigningAuthority PID-3.4, the namespace the receiver knows the patient identifier by
     * @param controlId          MSH-10, see {@link #controlId}
     * @param now                MSH-7
     */
    public static String reading(ObservationItem item, PatientIdentity p, String assigningAuthority, Hl7Header h,
                                 String controlId, Instant now) {
        VitalSign vital = ItemShape.vital(item.code());
        OruBuilder oru = new OruBuilder(h, controlId, now)
                .patient(p, assigningAuthority)
                .order(item.contentHash(), h.sendingApplication(), loinc(vital), item.effective(), null);
        if (item.alert() != null) {
            oru.orderNote(ReadingText.oneLine(ReadingText.alertNote(item.alert())));
        }
        ReadingText.flagsNote(item.flags()).ifPresent(oru::orderNote);
        List<Measurement> measurements = ItemShape.measurements(item);
        for (int i = 0; i < measurements.size(); i++) {
            Measurement m = measurements.get(i);
            OruBuilder.Obx obx = oru.numeric(loinc(ItemShape.vital(m.code())), vital.isPanel() ? "1." + (i + 1) : "1",
                    ReadingText.decimal(m.value()), m.unit());
            Interpretation flag = item.interpretationOf(m.code());
            if (flag != null) {
                obx.abnormalFlag(flag.code());
            }
            obx.observed(item.effective()).equipment(item.device().reported());
        }
        return oru.encode();
    }

    /** A period's statistics for one patient. */
    public static String summary(SummaryItem s, PatientIdentity p, String assigningAuthority, Hl7Header h,
                                 String controlId, Instant now) {
        OruBuilder oru = new OruBuilder(h, controlId, now)
                .patient(p, assigningAuthority)
                .order(p.patientId() + ":" + s.period() + ":" + s.start(), h.sendingApplication(), SUMMARY_SERVICE,
                        s.start(), s.end());
        for (int i = 0; i < s.vitals().size(); i++) {
            SummaryItem.VitalStats v = s.vitals().get(i);
            List<SummaryItem.Stat> stats = ItemShape.statistics(s.vitals().get(i));
            boolean panel = ItemShape.vital(v.code()).isPanel();
            for (int n = 0; n < stats.size(); n++) {
                statistics(oru, stats.get(n), panel ? (i + 1) + "." + (n + 1) : String.valueOf(i + 1));
            }
        }
        return oru.encode();
    }

    /**
     * A deterministic MSH-10 for an item: 20 characters (HL7 2.5.1 ST in MSH-10 is at most 20) of base32 of the
     * SHA-256 of the key, 100 bits, so every re-send of an item carries the same control id and a receiver that
     * de-duplicates on MSH-10 drops the copy. The key must be unique at the receiver: a reading's content hash is;
     * a summary's key must include the patient.
     */
    public static String controlId(String itemKey) {
        byte[] hash;
        try {
            hash = MessageDigest.getInstance("SHA-256").digest(itemKey.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java platform has SHA-256.", e);
        }
        StringBuilder id = new StringBuilder(20);
        for (int i = 0; i < 20; i++) {
            int bit = i * 5;
            int pair = ((hash[bit / 8] & 0xff) << 8) | (hash[bit / 8 + 1] & 0xff);
            id.append(BASE32[(pair >> (11 - bit % 8)) & 0x1f]);
        }
        return id.toString();
    }

    private static void statistics(OruBuilder oru, SummaryItem.Stat stat, String subId) {
        VitalSign measured = ItemShape.vital(stat.code());
        oru.numeric(loinc(measured), subId, ReadingText.mean(stat.mean()), stat.unit())
                .method(new OruBuilder.Code("average", "Average", LOCAL))
                .note(ReadingText.statisticsSentence(stat));
        oru.numeric(local(measured, "minimum"), subId, ReadingText.decimal(stat.min()), stat.unit());
        oru.numeric(local(measured, "maximum"), subId, ReadingText.decimal(stat.max()), stat.unit());
        oru.numeric(local(measured, "count"), subId, ReadingText.decimal(stat.count()), "{readings}");
    }

    private static OruBuilder.Code loinc(VitalSign v) {
        return new OruBuilder.Code(v.code(), v.display(), "LN");
    }

    private static OruBuilder.Code local(VitalSign v, String statistic) {
        return new OruBuilder.Code(v.code() + ":" + statistic, v.display() + ", " + statistic, LOCAL);
    }
}
