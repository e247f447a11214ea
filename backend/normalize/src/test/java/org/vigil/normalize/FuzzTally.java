package org.vigil.normalize;

import org.vigil.core.ErrorCode;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every decoder's fuzz test checks and counts, whatever its inputs: nothing escapes {@link Decoders}, the
 * decoder never crashes (Decoders would hide that as a MALFORMED_PAYLOAD "could not read" problem), every problem
 * has a reason, and every input ends as readings, problems or both — fully accepted, partially accepted or
 * rejected, which add up to the inputs.
 */
public final class FuzzTally {
    private final Function<byte[], String> show;
    private final Map<ErrorCode, Integer> problems = new EnumMap<>(ErrorCode.class);
    private final List<String> crashes = new ArrayList<>();
    private int inputs;
    private int accepted;
    private int partial;
    private int rejected;
    private long readings;

    /** @param show how to print an input in a failure message */
    public FuzzTally(Function<byte[], String> show) {
        this.show = show;
    }

    /** Decodes one input through {@code decode} and counts the outcome. */
    public Normalized add(byte[] input, Supplier<Normalized> decode) {
        int i = inputs++;
        Normalized n;
        try {
            n = decode.get();
        } catch (Throwable t) {
            throw new AssertionError("input " + i + " escaped Decoders with " + t + ": " + show.apply(input), t);
        }
        readings += n.readings().size();
        for (Problem p : n.problems()) {
            problems.merge(p.code(), 1, Integer::sum);
            assertTrue(p.reason() != null && !p.reason().isBlank(), "a problem without a reason for input " + i);
            if (p.reason().contains("decoder could not read this payload") && crashes.size() < 5) {
                crashes.add("input " + i + ": " + p.reason() + "\n    " + show.apply(input));
            }
        }
        // A hub heartbeat carries only status: it ends as neither, and counts as accepted.
        if (n.readings().isEmpty() && n.problems().isEmpty() && n.statuses().isEmpty()) {
            fail("input " + i + " ended as neither a reading nor a problem: " + show.apply(input));
        } else if (n.problems().isEmpty()) {
            accepted++;
        } else if (n.readings().isEmpty()) {
            rejected++;
        } else {
            partial++;
        }
        return n;
    }

    /** No crash was hidden, and the outcomes add up. */
    public void assertSound() {
        assertEquals(List.of(), crashes, "the decoder threw (Decoders turned it into MALFORMED_PAYLOAD)");
        assertEquals(inputs, accepted + partial + rejected, "every input is counted once");
    }

    public int inputs() {
        return inputs;
    }

    public int accepted() {
        return accepted;
    }

    public int partial() {
        return partial;
    }

    public int rejected() {
        return rejected;
    }

    public Map<ErrorCode, Integer> problems() {
        return problems;
    }

    @Override
    public String toString() {
        return String.format("%,d inputs: %,d fully accepted, %,d partially accepted, %,d rejected; %,d readings; problems by code %s",
                inputs, accepted, partial, rejected, readings, problems);
    }
}
