package org.vigil.sandbox.validation;

import ca.uhn.fhir.context.FhirContext;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.vigil.sandbox.ValidationFinding;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Validates received Observations on worker threads, off the request path: HAPI's validator costs tens of
 * milliseconds per resource here, which would otherwise become the sandbox EHR's response time and throttle
 * whatever is being tested. Readers of the findings wait until everything received so far has been validated.
 */
public final class ValidationQueue implements AutoCloseable {

    private final ExecutorService workers;
    private final CompletableFuture<ObservationValidator> validator;
    private final List<ValidationFinding> errors = new ArrayList<>();
    private final AtomicInteger validated = new AtomicInteger();
    private final AtomicInteger warnings = new AtomicInteger();
    private final Object idle = new Object();
    private int pending;
    private volatile Duration warmUp;

    public ValidationQueue(FhirContext context, int threads) {
        AtomicInteger n = new AtomicInteger();
        workers = Executors.newFixedThreadPool(threads, task -> {
            Thread thread = new Thread(task, "sandbox-validate-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        // built and warmed on a worker, so a sandbox starts at once; the first validations wait for it
        validator = CompletableFuture.supplyAsync(() -> buildAndWarm(context), workers);
    }

    private ObservationValidator buildAndWarm(FhirContext context) {
        long start = System.nanoTime();
        ObservationValidator built = new ObservationValidator(context);
        built.validate(sample("8867-4", "Heart rate", 72, "/min"));
        built.validate(sample("29463-7", "Body weight", 70, "kg"));
        warmUp = Duration.ofNanos(System.nanoTime() - start);
        return built;
    }

    private static Observation sample(String loinc, String display, double value, String unit) {
        Observation observation = new Observation();
        observation.setStatus(Observation.ObservationStatus.FINAL);
        observation.addCategory().addCoding().setSystem("http://terminology.hl7.org/CodeSystem/observation-category")
                .setCode("vital-signs").setDisplay("Vital Signs");
        observation.getCode().addCoding().setSystem("http://loinc.org").setCode(loinc).setDisplay(display);
        observation.getSubject().setReference("Patient/warm-up");
        observation.getEffectiveDateTimeType().setValueAsString("2024-01-01T00:00:00Z");
        observation.setValue(new Quantity().setValue(value).setUnit(unit).setSystem("http://unitsofmeasure.org").setCode(unit));
        return observation;
    }

    /** Queues a copy of {@code observation} for validation. */
    public void submit(Observation observation) {
        Observation copy = observation.copy();
        synchronized (idle) {
            pending++;
        }
        workers.execute(() -> {
            try {
                record(validator.join().validate(copy));
            } catch (RuntimeException e) {
                record(new ObservationValidator.Outcome("(none)", List.of(new ValidationFinding(
                        String.valueOf(copy.getIdentifierFirstRep().getValue()), "(none)", "fatal",
                        "validator failed: " + e, "Observation")), 0));
            } finally {
                synchronized (idle) {
                    pending--;
                    idle.notifyAll();
                }
            }
        });
    }

    private void record(ObservationValidator.Outcome outcome) {
        validated.incrementAndGet();
        warnings.addAndGet(outcome.warnings());
        synchronized (errors) {
            errors.addAll(outcome.errors());
        }
    }

    /** Waits until every Observation queued so far has been validated. */
    public void awaitIdle(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (idle) {
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new IllegalStateException(pending + " Observations still awaiting validation after " + timeout);
                }
                try {
                    TimeUnit.NANOSECONDS.timedWait(idle, left);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("interrupted while awaiting validation", e);
                }
            }
        }
    }

    /** The ERROR and FATAL findings so far, without waiting for queued validations. */
    public List<ValidationFinding> errorsSoFar() {
        synchronized (errors) {
            return List.copyOf(errors);
        }
    }

    public int pending() {
        synchronized (idle) {
            return pending;
        }
    }

    public int validated() {
        return validated.get();
    }

    public int warnings() {
        return warnings.get();
    }

    /** How long building and warming the validator took, once it has. */
    public Duration warmUp() {
        return warmUp;
    }

    /** Blocks until the validator is built and warm. */
    public Duration awaitWarm() {
        validator.join();
        return warmUp;
    }

    public void clear() {
        synchronized (errors) {
            errors.clear();
        }
        validated.set(0);
        warnings.set(0);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
