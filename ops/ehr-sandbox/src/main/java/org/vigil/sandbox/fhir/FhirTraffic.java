package org.vigil.sandbox.fhir;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** The FHIR endpoint's request counters and injected faults, shared by its filter and its providers. */
public final class FhirTraffic {

    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger transactions = new AtomicInteger();
    private volatile int status;
    private volatile Duration delay = Duration.ZERO;

    public void requestReceived() {
        requests.incrementAndGet();
    }

    public void transactionCommitted() {
        transactions.incrementAndGet();
    }

    public int requests() {
        return requests.get();
    }

    public int transactions() {
        return transactions.get();
    }

    /** 0: answer normally; otherwise every FHIR request is answered with this status. */
    public int status() {
        return status;
    }

    public void status(int status) {
        if (status != 0 && (status < 100 || status > 599)) {
            throw new IllegalArgumentException("not an HTTP status: " + status);
        }
        this.status = status;
    }

    public Duration delay() {
        return delay;
    }

    public void delay(Duration delay) {
        this.delay = delay == null ? Duration.ZERO : delay;
    }

    public void clearCounts() {
        requests.set(0);
        transactions.set(0);
    }
}
