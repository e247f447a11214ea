package org.vigil.ingest.internal;

import org.vigil.core.DeadLetter;
import org.vigil.normalize.Problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
        // 300 readings from one unknown device are one problem said 300 times: say it once, with the count.
        Map<String, Integer> distinct = new LinkedHashMap<>();
        for (Problem p : problems) {
            distinct.merge("[" + p.code() + "] " + sentence(p), 1, Integer::sum);
        }
        int i = 0;
        for (Map.Entry<String, Integer> e : distinct.entrySet()) {
            if (i == LISTED) {
                reason.append(" … and ").append(distinct.size() - LISTED).append(" more.");
                break;
            }
            reason.append(' ').append(++i).append(") ").append(e.getKey()).append(e.getValue() > 1 ? " (×" + e.getValue() + ")" : "");
        }
        return d.envelope().reject(first.code(), reason.toString());
    }

    private static String sentence(Problem p) {
        return p.location() == null ? p.reason() : p.reason() + " (at " + p.location() + ")";
    }
}
