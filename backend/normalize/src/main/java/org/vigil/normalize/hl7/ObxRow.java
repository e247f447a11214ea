package org.vigil.normalize.hl7;

import ca.uhn.hl7v2.HL7Exception;
import ca.uhn.hl7v2.model.Composite;
import ca.uhn.hl7v2.model.Primitive;
import ca.uhn.hl7v2.model.Type;
import ca.uhn.hl7v2.model.Varies;
import ca.uhn.hl7v2.model.v26.datatype.CWE;
import ca.uhn.hl7v2.model.v26.datatype.EI;
import ca.uhn.hl7v2.model.v26.segment.OBX;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

/**
 * The parts of one OBX that PCD-01 mapping reads, taken out of HAPI's model once.
 *
 * @param occurrence the OBX's position among all OBX segments of the message (1-based), for problem locations
 * @param path       OBX-4 as the MDS.VMD.CHAN.METRIC hierarchy ({@code 1.0.1.1}); empty when absent or not numeric
 * @param value      OBX-5's first repetition: components of an SN, or the one value of a primitive
 */
record ObxRow(int occurrence, String valueType, Coding code, List<Integer> path, List<String> value, Coding unit,
              String time, List<String> equipmentEui64) {

    /** A CWE's identifier, text and coding system, and its alternate triple. */
    record Coding(String id, String text, String system, String altId, String altText, String altSystem) {
        static Coding of(CWE cwe) {
            return new Coding(v(cwe.getCwe1_Identifier()), v(cwe.getCwe2_Text()), v(cwe.getCwe3_NameOfCodingSystem()),
                    v(cwe.getCwe4_AlternateIdentifier()), v(cwe.getCwe5_AlternateText()),
                    v(cwe.getCwe6_NameOfAlternateCodingSystem()));
        }

        boolean isEmpty() {
            return id.isEmpty() && text.isEmpty() && altId.isEmpty();
        }

        @Override
        public String toString() {
            return text.isEmpty() ? id : id + " " + text;
        }
    }

    static ObxRow of(OBX obx, int occurrence) throws HL7Exception {
        List<String> equipment = new ArrayList<>();
        for (EI ei : obx.getObx18_EquipmentInstanceIdentifier()) {
            String eui = Eui64.of(v(ei.getEi1_EntityIdentifier()), v(ei.getEi2_NamespaceID()), v(ei.getEi3_UniversalID()),
                    v(ei.getEi4_UniversalIDType()));
            if (eui != null) {
                equipment.add(eui);
            }
        }
        return new ObxRow(occurrence, v(obx.getObx2_ValueType()).toUpperCase(java.util.Locale.ROOT),
                Coding.of(obx.getObx3_ObservationIdentifier()), path(v(obx.getObx4_ObservationSubID())),
                value(obx.getObx5_ObservationValueReps() == 0 ? null : obx.getObx5_ObservationValue(0)),
                Coding.of(obx.getObx6_Units()), v(obx.getObx14_DateTimeOfTheObservation()), equipment);
    }

    boolean hasValue() {
        return value.stream().anyMatch(s -> !s.isEmpty());
    }

    /** Parent in the containment tree ({@code 1.0.1} for {@code 1.0.1.2}); empty for an MDS or an OBX without path. */
    List<Integer> parent() {
        return path.size() <= 1 ? List.of() : path.subList(0, path.size() - 1);
    }

    /** The MDS (first level of OBX-4) the row belongs to; 0 when unknown. */
    int mds() {
        return path.isEmpty() ? 0 : path.get(0);
    }

    Hl7Location at(int field) {
        return Hl7Location.of("OBX", occurrence, field);
    }

    static List<Integer> path(String subId) {
        if (subId.isEmpty()) {
            return List.of();
        }
        List<Integer> levels = new ArrayList<>();
        for (String level : subId.split("\\.", -1)) {
            if (level.isEmpty() || level.length() > 9 || !level.chars().allMatch(Character::isDigit)) {
                return List.of();
            }
            levels.add(Integer.parseInt(level));
        }
        return List.copyOf(levels);
    }

    private static List<String> value(@Nullable Varies varies) {
        if (varies == null) {
            return List.of();
        }
        Type data = varies.getData();
        if (data instanceof Primitive p) {
            return List.of(p.getValue() == null ? "" : p.getValue().strip());
        }
        if (data instanceof Composite c) {
            List<String> parts = new ArrayList<>();
            for (Type t : c.getComponents()) {
                parts.add(t instanceof Primitive p && p.getValue() != null ? p.getValue().strip() : "");
            }
            return parts;
        }
        return List.of();
    }

    static String v(Primitive p) {
        String s = p.getValue();
        return s == null ? "" : s.strip();
    }
}
