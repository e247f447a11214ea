package org.vigil.sandbox.mllp;

import org.vigil.sandbox.Mode;

import java.time.Duration;
import java.util.function.Function;

/** How the receiver answers, switchable while it runs. */
public final class MllpBehaviour {

    private volatile Mode mode = Mode.AA;
    private volatile Duration delay = Duration.ZERO;
    private volatile boolean silent;
    private volatile Function<String, Mode> script;

    public void mode(Mode mode) {
        this.mode = mode == null ? Mode.AA : mode;
    }

    public void delay(Duration delay) {
        this.delay = delay == null ? Duration.ZERO : delay;
    }

    public void silent(boolean silent) {
        this.silent = silent;
    }

    /** Per-message answers by control id (MSH-10); a null answer falls back to the mode. Null: no script. */
    public void script(Function<String, Mode> script) {
        this.script = script;
    }

    Mode modeFor(String controlId) {
        Function<String, Mode> current = script;
        if (current != null) {
            Mode scripted = current.apply(controlId);
            if (scripted != null) {
                return scripted;
            }
        }
        return mode;
    }

    Duration delay() {
        return delay;
    }

    boolean silent() {
        return silent;
    }

    public void reset() {
        mode = Mode.AA;
        delay = Duration.ZERO;
        silent = false;
        script = null;
    }
}
