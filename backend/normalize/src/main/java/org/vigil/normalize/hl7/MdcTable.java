package org.vigil.normalize.hl7;

import org.vigil.core.VitalSign;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * IEEE 11073-10101 (MDC) observation codes and the LOINC code Vigil stores them under. Read from
 * {@code hl7/mdc-loinc.csv} (the team's sourced table, copied unchanged) and {@code hl7/mdc-loinc-vigil.csv}
 * (Vigil's own decisions where the sources give no LOINC, which override). Where a code has several LOINC rows
 * (SpO2 150456: 2708-6 and 59408-5) the one that is a {@link VitalSign} wins, so that one MDC code always yields
 * one reading code.
 */
public final class MdcTable {
    static final String SOURCED = "hl7/mdc-loinc.csv";
    static final String VIGIL = "hl7/mdc-loinc-vigil.csv";

    /**
     * @param loinc empty when the sources name the MDC code but pair it with no LOINC code
     */
    public record Entry(int code, String refId, String loinc) {
        /** The Vigil vital sign the code is stored as, if its LOINC code is one. */
        public Optional<VitalSign> vitalSign() {
            return VitalSign.byCode(loinc);
        }
    }

    private final Map<Integer, Entry> byCode;
    private final Map<String, Entry> byRefId;

    MdcTable(Map<Integer, Entry> byCode) {
        this.byCode = Map.copyOf(byCode);
        Map<String, Entry> refs = new HashMap<>();
        byCode.values().forEach(e -> {
            if (e.refId().startsWith("MDC_")) {
                refs.putIfAbsent(e.refId(), e);
            }
        });
        this.byRefId = Map.copyOf(refs);
    }

    public static MdcTable fromClasspath() {
        Map<Integer, List<Entry>> rows = new LinkedHashMap<>();
        read(SOURCED).forEach(e -> rows.computeIfAbsent(e.code(), k -> new ArrayList<>()).add(e));
        Map<Integer, Entry> chosen = new HashMap<>();
        rows.forEach((code, entries) -> chosen.put(code, best(entries)));
        read(VIGIL).forEach(e -> chosen.put(e.code(), e));
        return new MdcTable(chosen);
    }

    public Optional<Entry> byCode(int code) {
        return Optional.ofNullable(byCode.get(code));
    }

    /** By reference id such as {@code MDC_PRESS_BLD_NONINV_SYS}, for senders that put it where the code belongs. */
    public Optional<Entry> byRefId(String refId) {
        return Optional.ofNullable(byRefId.get(refId));
    }

    private static Entry best(List<Entry> entries) {
        return entries.stream().filter(e -> e.vitalSign().isPresent()).findFirst()
                .or(() -> entries.stream().filter(e -> !e.loinc().isEmpty()).findFirst())
                .orElse(entries.get(0));
    }

    private static List<Entry> read(String resource) {
        try (InputStream in = MdcTable.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Resource " + resource + " is missing from the classpath.");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            List<String> header = Csv.split(reader.readLine());
            int code = header.indexOf("mdc_code");
            int ref = header.indexOf("mdc_refid");
            int loinc = header.indexOf("loinc_code");
            if (code < 0 || ref < 0 || loinc < 0) {
                throw new IllegalStateException(resource + " lacks one of the columns mdc_code, mdc_refid, loinc_code.");
            }
            List<Entry> entries = new ArrayList<>();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                List<String> cells = Csv.split(line);
                entries.add(new Entry(Integer.parseInt(cells.get(code).strip()), cells.get(ref).strip(), cells.get(loinc).strip()));
            }
            return entries;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + resource, e);
        }
    }

    /** RFC 4180 lines as the table uses them: quoted cells may hold commas and doubled quotes. */
    static final class Csv {
        private Csv() {
        }

        static List<String> split(String line) {
            List<String> cells = new ArrayList<>();
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                        cell.append('"');
                        i++;
                    } else if (c == '"') {
                        quoted = false;
                    } else {
                        cell.append(c);
                    }
                } else if (c == '"') {
                    quoted = true;
                } else if (c == ',') {
                    cells.add(cell.toString());
                    cell.setLength(0);
                } else {
                    cell.append(c);
                }
            }
            cells.add(cell.toString());
            return cells;
        }
    }
}
