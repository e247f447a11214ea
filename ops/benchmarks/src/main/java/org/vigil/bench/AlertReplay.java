package org.vigil.bench;

import io.micronaut.json.JsonMapper;
import org.vigil.alerting.AlertChange;
import org.vigil.alerting.AlertConfig;
import org.vigil.alerting.Evaluator;
import org.vigil.alerting.PatientMemory;
import org.vigil.alerting.PatientRules;
import org.vigil.alerting.PatientSettings;
import org.vigil.alerting.Program;
import org.vigil.alerting.SuppressionPolicy;
import org.vigil.alerting.config.AlertConfigReader;
import org.vigil.core.Reading;
import org.vigil.core.TenantId;
import org.vigil.normalize.Decoders;
import org.vigil.normalize.NormalizeSettings;
import org.vigil.normalize.Normalized;
import org.vigil.normalize.NormalizedReading;
import org.vigil.normalize.Normalizer;
import org.vigil.normalize.Payload;
import org.vigil.normalize.canonical.CanonicalJsonDecoder;
import org.vigil.simulator.BackfillSource;
import org.vigil.simulator.Fleet;
import org.vigil.simulator.ReadingGenerator;
import org.vigil.simulator.SimMessage;
import org.vigil.simulator.SimPatient;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * {@code ops/bench alerts-replay}: the same simulated readings through the alert evaluator twice, (A) with the
 * default configuration's suppression and (B) with none, to show how many alerts suppression spares people and to
 * check that it never hides a critical value. The evaluator is pure, so this runs in process without the stack, and
 * the figures depend only on the options.
 */
final class AlertReplay {
    /** The window ends at a fixed instant, not now, so that the same options print the same figures. */
    static final Instant END = Instant.parse("2026-11-01T00:00:00Z");
    /** How often time passes for the evaluator (auto-resolve, cooldowns, no-data), as the scheduler would tick. */
    static final Duration TICK = Duration.ofMinutes(5);
    /** Enrolment by patient index, cycling: each program alone, one common pairing, and none (default programs). */
    static final List<List<String>> COHORTS = List.of(List.of("hypertension"), List.of("heart-failure"),
            List.of("diabetes"), List.of("copd"), List.of("hypertension", "diabetes"), List.of());

    /**
     * @param readingsPerPatientDay 7 by default: the simulator's round is one measurement of each of a patient's
     *                              five devices (cuff: BP + heart rate, oximeter: SpO2 + heart rate, scale, glucometer,
     *                              thermometer), so 7 is each device once a day, as RPM programs ask of patients
     */
    record Options(int patients, int days, long seed, int readingsPerPatientDay) {
        static Options parse(List<String> args) {
            BenchArgs a = BenchArgs.parse(args, "alerts-replay", Set.of("--patients", "--days", "--seed", "--readings-per-patient-day"));
            int patients = a.integer("--patients", 1000);
            int days = a.integer("--days", 30);
            long seed = a.longValue("--seed", 42);
            int perDay = a.integer("--readings-per-patient-day", 7);
            if (patients < 1 || days < 1 || perDay < 1) {
                throw new IllegalArgumentException("--patients, --days and --readings-per-patient-day must be at least 1");
            }
            return new Options(patients, days, seed, perDay);
        }
    }

    private AlertReplay() {
    }

    /** Prints the report; returns the exit status: 1 when A left a critical change of B uncovered. */
    static int run(Options o, PrintStream out) {
        long t0 = System.nanoTime();
        Fleet fleet = Fleet.generate(new TenantId("replay"), o.patients(), o.seed());
        Instant start = END.minus(Duration.ofDays(o.days()));
        List<Reading> readings = readings(fleet, (long) o.patients() * o.days() * o.readingsPerPatientDay(), start);
        List<PatientSettings> enrolment = new ArrayList<>(o.patients());
        for (int i = 0; i < o.patients(); i++) {
            enrolment.add(new PatientSettings(COHORTS.get(i % COHORTS.size()), List.of(), null));
        }
        Map<UUID, Integer> index = new HashMap<>();
        fleet.patients().forEach(p -> index.put(p.patientId(), p.index()));
        long t1 = System.nanoTime();

        AlertConfig suppressed = AlertConfigReader.defaults();
        List<PatientChange> a = new Replay(suppressed, enrolment, start, END).run(readings, index);
        long t2 = System.nanoTime();
        List<PatientChange> b = new Replay(withoutSuppression(suppressed), enrolment, start, END).run(readings, index);
        long t3 = System.nanoTime();

        out.printf(Locale.ROOT, "Alert-fatigue replay: %,d patients × %d days (seed %d), %,d readings (%d per patient-day), "
                + "ticks every %d min%n", o.patients(), o.days(), o.seed(), readings.size(), o.readingsPerPatientDay(), TICK.toMinutes());
        out.println("Enrolment (by patient index): " + cohorts(o.patients()));
        out.println("A: default alert configuration; B: the same with every program's suppression IMMEDIATE "
                + "(open at once, no hysteresis, resolve at once, no cooldown).");
        out.println("Alerts opened = OPENED + REOPENED, by the severity they opened with; escalated = warnings that turned critical.");
        out.println();
        out.print(FatigueReport.table(FatigueReport.of(a, o.patients(), start, o.days()),
                FatigueReport.of(b, o.patients(), start, o.days()), List.copyOf(suppressed.programs().keySet())));
        out.println();
        CriticalCoverage coverage = CriticalCoverage.check(a, b);
        out.print(coverage.report(50));
        out.println();
        out.printf(Locale.ROOT, "Time: readings generated and decoded %.1f s, run A %.1f s, run B %.1f s, checks %.1f s%n",
                seconds(t1 - t0), seconds(t2 - t1), seconds(t3 - t2), seconds(System.nanoTime() - t3));
        return coverage.missing().isEmpty() ? 0 : 1;
    }

    /**
     * The simulator's backfill over the window, decoded as the backend decodes a stream message and resolved to
     * patients through the fleet, in effective-time order.
     */
    static List<Reading> readings(Fleet fleet, long count, Instant start) {
        Decoders decoders = new Decoders(List.of(new CanonicalJsonDecoder(JsonMapper.createDefault())),
                new Normalizer(NormalizeSettings.defaults()));
        BackfillSource source = new BackfillSource(ReadingGenerator.standard(fleet), count, END, Duration.between(start, END));
        List<Reading> out = new ArrayList<>((int) count);
        for (long seq = 0; source.hasNext(); seq++) {
            SimMessage m = source.next();
            // Received when taken: a connected fleet, so no reading is late and every alert may page.
            Instant received = Instant.parse(m.reading().effective());
            Payload p = Payload.ofMessage(m.subject(), m.payload(), received).orElseThrow();
            Normalized n = decoders.decode(p);
            if (!n.problems().isEmpty()) {
                throw new IllegalStateException("a simulated reading did not decode: " + n.problems());
            }
            for (NormalizedReading r : n.readings()) {
                UUID patient = fleet.device(r.device()).orElseThrow().patientId();
                out.add(new Reading(p.tenant(), patient, r.device(), r.code(), r.measurements(), r.effective(), received,
                        r.deviceTime(), r.flags(), p.format(), "replay:" + seq, r.contentHash()));
            }
        }
        // Stable: a cuff's BP panel stays before the heart rate taken in the same inflation.
        out.sort(Comparator.comparing(Reading::effective));
        return out;
    }

    /** The same configuration with every program's suppression replaced by none at all. */
    static AlertConfig withoutSuppression(AlertConfig c) {
        Map<String, Program> programs = new LinkedHashMap<>();
        c.programs().forEach((name, p) -> programs.put(name, new Program(p.name(), p.thresholds(), p.trends(), p.combined(),
                p.noDataAfter(), SuppressionPolicy.IMMEDIATE)));
        return new AlertConfig(programs, c.defaultPrograms(), c.devices(), c.escalation(), c.contacts(), c.warningsNotify(),
                c.lateAfter(), c.snoozeCoversCritical(), c.timeZone());
    }

    /** One pass of the evaluator over the readings, with a memory per patient and a clock that ticks as they go by. */
    private static final class Replay {
        private final Duration lateAfter;
        private final PatientRules[] rules;
        private final PatientMemory[] memory;
        private final Instant start;
        private final Instant end;
        private final List<PatientChange> log = new ArrayList<>();
        private Instant nextTick;

        Replay(AlertConfig config, List<PatientSettings> enrolment, Instant start, Instant end) {
            this.lateAfter = config.lateAfter();
            this.rules = new PatientRules[enrolment.size()];
            this.memory = new PatientMemory[enrolment.size()];
            Map<PatientSettings, PatientRules> shared = new HashMap<>();
            for (int i = 0; i < rules.length; i++) {
                rules[i] = shared.computeIfAbsent(enrolment.get(i), config::rulesFor);
                memory[i] = new PatientMemory();
            }
            this.start = start;
            this.end = end;
            this.nextTick = start.plus(TICK);
        }

        List<PatientChange> run(List<Reading> readings, Map<UUID, Integer> index) {
            for (Reading r : readings) {
                tickUntil(r.effective());
                int p = index.get(r.patient());
                record(p, Evaluator.onReading(rules[p], memory[p], r, lateAfter, true));
            }
            tickUntil(end);
            return log;
        }

        /**
         * Every tick at or before {@code t} inside the window, for every patient: the no-data rule must be able to
         * fire for a patient who has no alert at all. Patients were enrolled when the window starts.
         */
        private void tickUntil(Instant t) {
            for (; !nextTick.isAfter(t) && nextTick.isBefore(end); nextTick = nextTick.plus(TICK)) {
                for (int p = 0; p < rules.length; p++) {
                    record(p, Evaluator.tick(rules[p], memory[p], nextTick, start));
                }
            }
        }

        private void record(int patient, List<AlertChange> changes) {
            changes.forEach(c -> log.add(new PatientChange(patient, c)));
        }
    }

    private static String cohorts(int patients) {
        StringBuilder b = new StringBuilder();
        for (int c = 0; c < COHORTS.size(); c++) {
            int n = patients / COHORTS.size() + (c < patients % COHORTS.size() ? 1 : 0);
            b.append(c == 0 ? "" : ", ").append(COHORTS.get(c).isEmpty() ? "none (default programs)" : String.join("+", COHORTS.get(c)))
                    .append(' ').append(n);
        }
        return b.toString();
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
