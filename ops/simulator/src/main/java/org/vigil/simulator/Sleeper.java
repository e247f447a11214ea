package org.vigil.simulator;

/** Waiting, passed in so that pacing and retry logic can be tested without real time passing. */
@FunctionalInterface
public interface Sleeper {
    Sleeper SYSTEM = Thread::sleep;

    void sleep(long millis) throws InterruptedException;
}
