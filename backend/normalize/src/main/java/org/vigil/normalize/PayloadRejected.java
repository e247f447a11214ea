package org.vigil.normalize;

import org.vigil.core.ErrorCode;

/** Nothing in a payload is usable; the reason is a sentence for the person who will fix the sender or the mapping. */
public class PayloadRejected extends Exception {
    private final transient Problem problem;

    public PayloadRejected(ErrorCode code, String reason) {
        this(new Problem(code, reason));
    }

    public PayloadRejected(ErrorCode code, String reason, String location) {
        this(new Problem(code, reason, location));
    }

    public PayloadRejected(Problem problem) {
        super(problem.reason(), null, false, false);
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }
}
