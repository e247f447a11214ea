package org.vigil.normalize.hl7;

import org.junit.jupiter.api.Test;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.FuzzTally;
import org.vigil.normalize.Normalized;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Random and mutated HL7 v2 messages, seeded from the PCD-01 corpus, through {@link Decoders}: whatever comes in,
 * no exception escapes, the decoder never crashes (which Decoders would hide as MALFORMED_PAYLOAD), and every input
 * ends as at least one reading or at least one problem.
 */
class Hl7FuzzTest {
    private static final long SEED = 20_240_301L;
    /**
     * HAPI's PipeParser dominates: 0.3–0.5 ms for a message of the MaximumRequest2 family (most seeds), so 1,000 to
     * 3,500 inputs/s on our 2-CPU machines depending on what else runs: the full 100,000 take 28 s on a quiet
     * machine, 80 s on a busy one, which the suite can afford; {@code -Dhl7.fuzz.inputs=15000} for a quick run.
     */
    private static final int INPUTS = Integer.getInteger("hl7.fuzz.inputs", 100_000);
    /** Inputs decoded twice to check that the decoder is a pure function of the bytes. */
    private static final int REPEATED = 2_000;

    @Test
    void everyInputEndsAsReadingsOrProblemsAndNothingEscapes() {
        Decoders decoders = Hl7Corpus.decoders();
        Hl7Mutator inputs = new Hl7Mutator(new Random(SEED), seeds());
        FuzzTally tally = new FuzzTally(Hl7FuzzTest::show);

        long start = System.nanoTime();
        for (int i = 0; i < INPUTS; i++) {
            byte[] input = inputs.next();
            Normalized n = tally.add(input, () -> Hl7Corpus.decode(decoders, input));
            if (i < REPEATED) {
                assertEquals(n, Hl7Corpus.decode(decoders, input), "input " + i + " decoded differently twice: " + show(input));
            }
        }
        long millis = (System.nanoTime() - start) / 1_000_000;

        System.out.printf("HL7 v2 fuzz (seed %d) in %,d ms (%,d inputs/s): %s%n",
                SEED, millis, INPUTS * 1000L / Math.max(1, millis), tally);
        tally.assertSound();
        assertTrue(tally.accepted() > INPUTS / 50 && tally.partial() > INPUTS / 50 && tally.rejected() > INPUTS / 5,
                "the mix should exercise every outcome: " + tally);
    }

    /** Every message of both manifests, and hand-written ones with what the corpus lacks (SpO2, time sync, °F). */
    private static List<byte[]> seeds() {
        List<byte[]> seeds = new ArrayList<>();
        for (String file : Hl7Corpus.manifestFiles()) {
            seeds.add(Hl7Corpus.bytes(file));
        }
        String msh = "MSH|^~\\&|Gateway^ACDE48234567ABCD^EUI-64||||20240301101500+0100||ORU^R01^ORU_R01|CTRL-1|P|2.6"
                + "|||NE|AL|||||IHE PCD ORU-R01 2006^HL7^1.3.6.1.4.1.19376.1.6.1.1.1^ISO\r"
                + "PID|||789567^^^Imaginary Hospital^PI||Doe^John^Joseph^^^^L^A\r"
                + "OBR|1|AB12345^AcmeAHDInc^ACDE48234567ABCD^EUI-64|CD12345^AcmeAHDInc^ACDE48234567ABCD^EUI-64"
                + "|528391^MDC_DEV_SPEC_PROFILE_BP^MDC|||20240301101000+0100\r";
        seeds.add((msh + "OBX|1||528397^MDC_DEV_SPEC_PROFILE_SPO2^MDC|1|||||||R|||||||0123456789ABCDEF^EUI-64\r"
                + "OBX|2|DTM|67975^MDC_ATTR_TIME_ABS^MDC|1.0.0.1|20240301100800||||||R|||20240301101500+0100\r"
                + "OBX|3|NM|150456^MDC_PULS_OXIM_SAT_O2^MDC|1.0.1.1|97|262688^MDC_DIM_PERCENT^MDC|||||R|||20240301100000+0100\r"
                + "OBX|4|NM|149530^MDC_PULS_OXIM_PULS_RATE^MDC|1.0.1.2|72|264864^MDC_DIM_BEAT_PER_MIN^MDC|||||R\r")
                .getBytes(StandardCharsets.ISO_8859_1));
        seeds.add((msh + "OBX|1||528392^MDC_DEV_SPEC_PROFILE_TEMP^MDC|1|||||||R|||||||0123456789ABCDEF^EUI-64\r"
                + "OBX|2|NM|150364^MDC_TEMP_BODY^MDC|1.0.0.1|98.6|266560^MDC_DIM_FAHR^MDC|||||R|||20240301100000-0500\r"
                + "OBX|3|NM|188736^MDC_MASS_BODY_ACTUAL^MDC|1.0.0.2|180|263904^MDC_DIM_LB^MDC|||||R\r")
                .getBytes(StandardCharsets.ISO_8859_1));
        return seeds;
    }

    private static String show(byte[] input) {
        String s = new String(input, StandardCharsets.ISO_8859_1).replace('\r', '⏎');
        return s.length() > 400 ? s.substring(0, 400) + "… (" + input.length + " bytes)" : s;
    }
}
