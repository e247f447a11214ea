package org.vigil.ingest.internal;

import org.vigil.core.DeadLetter;
import org.vigil.normalize.Problem;

import java.util.List;

/**
 * One dead letter per message, whatever went wrong in it: the raw payload is kept once, and re-submitting it
 * re-runs the whole message (readings already stored are recognised by their content hash).
 */
final class Rejections {
    private static final int LISTED = 10;

    private Rejections() {
    }

    static DeadLetter deadLetter(Decoded d, List<Problem> problems, int stored) {
        Problem first = problems.get(0);
        if (problems.size() == 1 && stored == 0) {
            return d.envelope().reject(first.code(), sentence(first));
        }
        StringBuilder reason = new StringBuilder()
                .append(problems.size()).append(problems.size() == 1 ? " part" : " parts").append(" of this message could not be used");
        reason.append(stored == 0 ? " and nothing was stored" : "; " + stored + (stored == 1 ? " reading was" : " readings were") + " stored");
        reason.append(':');
        for (int i = 0; i < Math.min(LISTED, problems.size()); i++) {
            reason.append(' ').append(i + 1).append(") [").append(problems.get(i).code()).append("] ").append(sentence(problems.get(i)));
        }
        if (problems.size() > LISTED) {
            reason.append(" … and ").append(problems.size() - LISTED).append(" more.");
        }
        return d.envelope().reject(first.code(), reason.toString());
    }

    private static String sentence(Problem p) {
        return p.location() == null ? p.reason() : p.reason() + " (at " + p.location() + ")";
    }
}
