package org.vigil.edge.mllp;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.vigil.normalize.hl7.Hl7Text;
import org.vigil.normalize.hl7.MshHeader;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every message of the HL7 v2 corpus manifests through the edge's decision (decoder + PCD-01 profile), against
 * the verdict its authors recorded, read as the acknowledgement Vigil must send: a valid ORU^R01 is AA, an invalid
 * one AE, an ACK or a message of another version AR. Expectations marked UNVERIFIED (upstream tests that are
 * disabled) are only reported, in a table, never asserted.
 */
class Hl7CorpusTest {
    private static final Hl7Intake INTAKE = EdgeCorpus.intake();

    static List<EdgeCorpus.Entry> enforced() {
        return EdgeCorpus.entries().stream().filter(e -> !e.unverified()).toList();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("enforced")
    void theAcknowledgementMatchesTheRecordedVerdict(EdgeCorpus.Entry entry) {
        Verdict v = INTAKE.assess(EdgeCorpus.TENANT, EdgeCorpus.bytes(entry.file()), EdgeCorpus.RECEIVED);
        assertEquals(expectedAck(entry), v.code(), () -> entry.expected() + "; our errors: " + v.errors());
        if (v.code() != AckCode.AA) {
            assertEquals(false, v.errors().isEmpty(), "an AE/AR must say why");
        }
    }

    /** The recorded verdict as the acknowledgement it calls for. */
    static AckCode expectedAck(EdgeCorpus.Entry entry) {
        MshHeader msh = MshHeader.parse(Hl7Text.decode(EdgeCorpus.bytes(entry.file())));
        if (msh.messageType().equals("ACK") || !msh.version().isEmpty() && !msh.version().equals("2.6")) {
            return AckCode.AR;
        }
        return entry.expectedValid() ? AckCode.AA : AckCode.AE;
    }

    @Test
    void verdictTable() {
        Map<String, Map<AckCode, Integer>> counts = new TreeMap<>();
        StringBuilder table = new StringBuilder(String.format("%n%-4s %-4s %-10s %-11s %-70s %s%n", "ours", "want",
                "upstream", "IPF tool", "file", "first error"));
        int disagreements = 0;
        for (EdgeCorpus.Entry e : EdgeCorpus.entries()) {
            Verdict v = INTAKE.assess(EdgeCorpus.TENANT, EdgeCorpus.bytes(e.file()), EdgeCorpus.RECEIVED);
            AckCode want = expectedAck(e);
            String group = e.unverified() ? "unverified (disabled upstream)" : "enforced";
            counts.computeIfAbsent(group, g -> new EnumMap<>(AckCode.class)).merge(v.code(), 1, Integer::sum);
            boolean agrees = want == v.code();
            disagreements += !agrees && !e.unverified() ? 1 : 0;
            AckError first = v.errors().isEmpty() ? null : v.errors().get(0);
            table.append(String.format("%-4s %-4s %-10s %-11s %-70s %s%n", v.code(), e.unverified() ? want + "?" : want,
                    e.unverified() ? "UNVERIFIED" : e.expectedValid() ? "valid" : "invalid", e.ipfVerdict(),
                    e.file().replaceFirst("^.*/", ""), first == null ? "" : (first.location() == null ? "" : first.location() + " ")
                            + first.reason()));
        }
        System.out.println("HL7 v2 corpus verdicts" + table + "Counts: " + counts);
        assertEquals(0, disagreements, "enforced verdicts that disagree (see the table above)");
    }
}
