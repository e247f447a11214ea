package org.vigil.normalize.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.v26.datatype.EI;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_ORDER_OBSERVATION;
import ca.uhn.hl7v2.model.v26.group.ORU_R01_PATIENT_RESULT;
import ca.uhn.hl7v2.model.v26.message.ORU_R01;
import ca.uhn.hl7v2.model.v26.segment.OBR;
import io.micronaut.core.annotation.Nullable;
import org.vigil.core.ErrorCode;
import org.vigil.core.Measurement;
import org.vigil.core.VitalSign;
import org.vigil.normalize.Observation;
import org.vigil.normalize.Problem;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps the OBX rows of an IHE PCD-01 ORU^R01 to observations. Per OBR group:
 * <ul>
 * <li>an OBX whose OBX-4 has one level (an MDS) describes a device: its OBX-18 EUI-64 identifies every measurement
 *     below it;</li>
 * <li>a numeric OBX (OBX-2 NM or SN) below an MDS is a measurement, mapped from its MDC code (OBX-3) to LOINC;</li>
 * <li>blood pressure components (SYS, DIA, MEAN) that share a parent in OBX-4 (the compound 150020/150016, present
 *     or not) form one 85354-9 panel;</li>
 * <li>value-less OBX (VMDs, channels, compounds) lend their OBX-14 and OBX-18 to the measurements below them;</li>
 * <li>MDC_ATTR_TIME_ABS (device clock in OBX-5, gateway time in OBX-14) measures the drift of its MDS's clock;</li>
 * <li>other non-numeric OBX (time-sync protocol, device descriptors) are context, not measurements.</li>
 * </ul>
 * A measurement's time is its own OBX-14, else its parents', else OBR-7. A time without offset is read in MSH-7's
 * offset (HL7: the sender's zone), and in UTC, flagged {@code tz:assumed-utc}, when MSH-7 has none either.
 */
final class Pcd01Mapper {
    private static final List<String> BP_COMPONENTS = VitalSign.BLOOD_PRESSURE.components();

    private final ObservationCodes codes;

    Pcd01Mapper(ObservationCodes codes) {
        this.codes = codes;
    }

    /** What the whole message yields; {@code obxCount} says how many OBX segments it had. */
    record Result(List<Observation> observations, List<Problem> problems, int obxCount) {
    }

    /**
     * @param senderOffset the offset of MSH-7, if it had one: the sender's zone for times without offset
     */
    Result map(ORU_R01 oru, @Nullable ZoneOffset senderOffset) throws HL7Exception {
        List<Observation> observations = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        int obx = 0;
        int obr = 0;
        for (ORU_R01_PATIENT_RESULT result : oru.getPATIENT_RESULTAll()) {
            for (ORU_R01_ORDER_OBSERVATION order : result.getORDER_OBSERVATIONAll()) {
                obr++;
                List<ObxRow> rows = new ArrayList<>();
                for (ORU_R01_OBSERVATION o : order.getOBSERVATIONAll()) {
                    if (!o.getOBX().isEmpty()) {
                        rows.add(ObxRow.of(o.getOBX(), ++obx));
                    }
                }
                new Group(order.getOBR(), obr, rows, senderOffset, observations, problems).map();
            }
        }
        return new Result(observations, problems, obx);
    }

    /** One OBR and its OBX rows. */
    private final class Group {
        private final int obrOccurrence;
        private final String obrTime;
        @Nullable
        private final String obrDevice;
        private final List<ObxRow> rows;
        @Nullable
        private final ZoneOffset senderOffset;
        private final List<Observation> out;
        private final List<Problem> problems;
        private final Map<List<Integer>, ObxRow> byPath = new HashMap<>();
        private final Map<Integer, String> mdsDevice = new HashMap<>();
        private final Map<Integer, Duration> drift = new HashMap<>();

        Group(OBR obr, int obrOccurrence, List<ObxRow> rows, @Nullable ZoneOffset senderOffset,
              List<Observation> out, List<Problem> problems) {
            this.obrOccurrence = obrOccurrence;
            this.obrTime = ObxRow.v(obr.getObr7_ObservationDateTime());
            EI filler = obr.getObr3_FillerOrderNumber();
            this.obrDevice = Eui64.of(ObxRow.v(filler.getEi1_EntityIdentifier()), ObxRow.v(filler.getEi2_NamespaceID()),
                    ObxRow.v(filler.getEi3_UniversalID()), ObxRow.v(filler.getEi4_UniversalIDType()));
            this.rows = rows;
            this.senderOffset = senderOffset;
            this.out = out;
            this.problems = problems;
        }

        void map() {
            for (ObxRow row : rows) {
                if (!row.path().isEmpty()) {
                    byPath.putIfAbsent(row.path(), row);
                }
                if (row.path().size() == 1 && !row.equipmentEui64().isEmpty()) {
                    mdsDevice.putIfAbsent(row.mds(), row.equipmentEui64().get(0));
                }
                if (codes.isTimeAbs(row.code())) {
                    measureDrift(row);
                }
            }
            // Singles keyed by their row, panels by their parent path; insertion order keeps message order.
            Map<Object, List<Component>> pending = new LinkedHashMap<>();
            for (ObxRow row : rows) {
                Component c = measurement(row);
                if (c != null) {
                    boolean bp = BP_COMPONENTS.contains(c.measurement().code());
                    pending.computeIfAbsent(bp ? List.of("bp", row.parent()) : row, k -> new ArrayList<>()).add(c);
                }
            }
            pending.forEach((key, components) -> {
                boolean panel = key instanceof List<?>;
                ObxRow first = components.get(0).row();
                Stamp stamp = panel ? panelTime(first.parent(), components) : time(first, first.path());
                if (stamp == null) {
                    return;
                }
                String device = device(first);
                if (device == null) {
                    problems.add(new Problem(ErrorCode.INVALID_READING, "No device EUI-64 for " + first.code()
                            + ": neither its MDS's OBX-18, its own OBX-18 nor OBR-3 names one.", first.at(18).toString()));
                    return;
                }
                String code = panel ? VitalSign.BLOOD_PRESSURE.code() : components.get(0).measurement().code();
                // The first value's OBX-5, so an ERR for a value the Normalizer refuses points at the segment.
                out.add(new Observation(device, code, components.stream().map(Component::measurement).toList(),
                        stamp.instant(), drift.getOrDefault(first.mds(), drift.getOrDefault(0, Duration.ZERO)), stamp.flags(),
                        first.at(5).toString()));
            });
        }

        private record Component(ObxRow row, Measurement measurement) {
        }

        private record Stamp(@Nullable Instant instant, List<String> flags) {
        }

        @Nullable
        private Component measurement(ObxRow row) {
            if (codes.isTimeAbs(row.code()) || !row.hasValue()) {
                return null;
            }
            ObservationCodes.Resolved resolved = codes.resolve(row.code());
            boolean numeric = row.valueType().equals("NM") || row.valueType().equals("SN");
            if (!numeric) {
                if (resolved instanceof ObservationCodes.Mapped m) {
                    problems.add(new Problem(ErrorCode.INVALID_READING, row.valueType().isEmpty()
                            ? "OBX-5 holds a value for " + row.code() + " but OBX-2 does not give its type (NM)."
                            : "OBX-2 is '" + row.valueType() + "' for " + row.code() + " (" + m.sign().display()
                            + "); Vigil reads numeric values (NM, SN).", row.at(2).toString()));
                }
                return null;
            }
            if (resolved instanceof ObservationCodes.Unmapped u) {
                // An MDS-level numeric OBX with an unknown code describes the device (e.g. its specialization).
                if (row.path().size() != 1) {
                    problems.add(new Problem(ErrorCode.UNSUPPORTED_CODE, u.reason(), row.at(3).toString()));
                }
                return null;
            }
            Measurement m = ObxQuantity.read(row, ((ObservationCodes.Mapped) resolved).sign(), problems);
            return m == null ? null : new Component(row, m);
        }

        /** The device: its MDS's EUI-64, else one given on the row or its parents, else OBR-3's. */
        @Nullable
        private String device(ObxRow row) {
            String mds = mdsDevice.get(row.mds());
            if (mds == null && row.path().isEmpty() && mdsDevice.size() == 1) {
                mds = mdsDevice.values().iterator().next();
            }
            if (mds != null) {
                return mds;
            }
            for (ObxRow r = row; r != null; r = parentOf(r)) {
                if (!r.equipmentEui64().isEmpty()) {
                    return r.equipmentEui64().get(0);
                }
            }
            return obrDevice;
        }

        @Nullable
        private ObxRow parentOf(ObxRow row) {
            return row.parent().isEmpty() ? null : byPath.get(row.parent());
        }

        /** A single measurement's time: its OBX-14, else its parents', else OBR-7; null after a problem. */
        @Nullable
        private Stamp time(ObxRow row, List<Integer> path) {
            if (!row.time().isEmpty()) {
                return stamp(row.time(), row.at(14));
            }
            return inherited(path);
        }

        /** A panel's time: its compound's OBX-14, else its first component's, else the compound's parents', else OBR-7. */
        @Nullable
        private Stamp panelTime(List<Integer> parent, List<Component> components) {
            ObxRow compound = byPath.get(parent);
            if (compound != null && !compound.time().isEmpty()) {
                return stamp(compound.time(), compound.at(14));
            }
            for (Component c : components) {
                if (!c.row().time().isEmpty()) {
                    return stamp(c.row().time(), c.row().at(14));
                }
            }
            return inherited(parent);
        }

        @Nullable
        private Stamp inherited(List<Integer> path) {
            for (int n = path.size() - 1; n >= 1; n--) {
                ObxRow ancestor = byPath.get(path.subList(0, n));
                if (ancestor != null && !ancestor.time().isEmpty()) {
                    return stamp(ancestor.time(), ancestor.at(14));
                }
            }
            if (!obrTime.isEmpty()) {
                return stamp(obrTime, Hl7Location.of("OBR", obrOccurrence, 7));
            }
            return new Stamp(null, List.of());
        }

        @Nullable
        private Stamp stamp(String dtm, Hl7Location where) {
            Hl7Time t;
            try {
                t = Hl7Time.parse(dtm);
            } catch (DateTimeException e) {
                problems.add(new Problem(ErrorCode.INVALID_READING, where + ": " + e.getMessage(), where.toString()));
                return null;
            }
            if (t.digits() < 12) {
                problems.add(new Problem(ErrorCode.INVALID_READING, where + " '" + dtm
                        + "' is not precise to the minute.", where.toString()));
                return null;
            }
            if (t.hasOffset() || senderOffset != null) {
                return new Stamp(t.at(senderOffset), List.of());
            }
            return new Stamp(t.at(ZoneOffset.UTC), List.of("tz:assumed-utc"));
        }

        private void measureDrift(ObxRow row) {
            String deviceClock = row.value().isEmpty() ? "" : row.value().get(0);
            if (deviceClock.isEmpty() || row.time().isEmpty()) {
                problems.add(new Problem(ErrorCode.INVALID_READING, "MDC_ATTR_TIME_ABS needs the device clock in OBX-5 "
                        + "and the gateway's time in OBX-14 to measure clock drift; one is missing.", row.at(row.time().isEmpty() ? 14 : 5).toString()));
                return;
            }
            try {
                ZoneOffset zone = senderOffset == null ? ZoneOffset.UTC : senderOffset;
                Instant device = Hl7Time.parse(deviceClock).at(zone);
                Instant gateway = Hl7Time.parse(row.time()).at(zone);
                drift.putIfAbsent(row.mds(), Duration.between(device, gateway));
            } catch (DateTimeException e) {
                problems.add(new Problem(ErrorCode.INVALID_READING, "MDC_ATTR_TIME_ABS: " + e.getMessage(), row.at(5).toString()));
            }
        }
    }
}
