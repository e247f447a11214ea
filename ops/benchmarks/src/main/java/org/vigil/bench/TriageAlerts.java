package org.vigil.bench;

import io.nats.client.Connection;
import io.nats.client.JetStream;
import io.nats.client.Nats;
import io.nats.client.api.PublishAck;
import io.nats.client.impl.Headers;
import org.vigil.core.Measurement;
import org.vigil.core.TenantId;
import org.vigil.core.VitalSign;
import org.vigil.simulator.ConnectionSource;
import org.vigil.simulator.DeviceKind;
import org.vigil.simulator.Fleet;
import org.vigil.simulator.FleetSeeder;
import org.vigil.simulator.JetStreamPublisher;
import org.vigil.simulator.PublishSettings;
import org.vigil.simulator.ReadingEncoder;
import org.vigil.simulator.SimMessage;
import org.vigil.simulator.SimPatient;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The triage queue's load: N unresolved alerts of one tenant over P patients, made the way production makes them.
 * The tenant's patients and devices are seeded, its alert rules applied through the API by a tenant administrator,
 * and each patient's devices publish readings over the limits to JetStream; the backend's alert evaluator opens
 * the alerts. Up to five per patient, one per rule (the suppression key allows one unresolved alert per patient and
 * rule side), critical or warning by the value sent.
 */
final class TriageAlerts {
    static final String TENANT = "bench-triage";
    static final String CONFIG_RESOURCE = "/org/vigil/bench/triage-alert-config.yaml";
    /** How long the evaluator may take to open them all before the benchmark gives up. */
    private static final Duration OPEN_TIMEOUT = Duration.ofMinutes(5);
    /** How long the backend may take to deliver the alerts' events before it is measured anyway (and said so). */
    private static final Duration DRAIN_TIMEOUT = Duration.ofMinutes(2);
    private static final int IN_FLIGHT = 1_000;

    /**
     * The rules one patient can breach at once, with a value inside each limit of triage-alert-config.yaml's
     * program: a warning (beyond low or high) and a critical one (beyond criticalLow or criticalHigh). In this order
     * a patient's readings fill them: the cuff's panel (systolic, diastolic) and heart rate, the oximeter, the
     * thermometer.
     */
    enum Slot {
        SYSTOLIC(VitalSign.SYSTOLIC_BP, 170, 195, 120),
        DIASTOLIC(VitalSign.DIASTOLIC_BP, 108, 125, 80),
        HEART_RATE(VitalSign.HEART_RATE, 120, 150, 72),
        SPO2(VitalSign.OXYGEN_SATURATION, 90, 82, 97),
        TEMPERATURE(VitalSign.BODY_TEMPERATURE, 38.6, 40.1, 36.8);

        final VitalSign vital;
        final double warning;
        final double critical;
        /** Inside every limit: what a slot the patient does not breach sends, where a panel must carry it. */
        final double normal;

        Slot(VitalSign vital, double warning, double critical, double normal) {
            this.vital = vital;
            this.warning = warning;
            this.critical = critical;
            this.normal = normal;
        }

        String code() {
            return vital.code();
        }
    }

    static final int MAX_PER_PATIENT = Slot.values().length;

    /** One alert to be opened: patient index, the rule's slot, and the severity its value will have. */
    record Planned(int patient, Slot slot, boolean critical) {
        double value() {
            return critical ? slot.critical : slot.warning;
        }
    }

    /**
     * Alerts spread evenly over the patients (the first {@code alerts % patients} get one more), each patient's in
     * slot order; one in five is critical, rotating over the slots so that every rule has critical alerts.
     *
     * @throws IllegalArgumentException when a patient would need more alerts than there are slots
     */
    static List<Planned> plan(int alerts, int patients) {
        if (alerts < 0 || patients < 1 || alerts > (long) patients * MAX_PER_PATIENT) {
            throw new IllegalArgumentException("cannot spread " + alerts + " alerts over " + patients + " patients, at most "
                    + MAX_PER_PATIENT + " each");
        }
        List<Planned> out = new ArrayList<>(alerts);
        for (int p = 0; p < patients; p++) {
            int k = alerts / patients + (p < alerts % patients ? 1 : 0);
            for (int s = 0; s < k; s++) {
                out.add(new Planned(p, Slot.values()[s], (p + s) % 5 == 0));
            }
        }
        return out;
    }

    /**
     * @param how       how the alerts came to be, for the report
     * @param took      first reading published -> the last alert committed (null when reused)
     * @param bySeverity unresolved alerts of the tenant per severity
     */
    record Made(String how, int open, Map<String, Integer> bySeverity, int patients, int readings, Duration took,
                Duration drained) {
    }

    private final BenchEnv env;
    private final PrintStream out;

    TriageAlerts(BenchEnv env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    Made make(Backend backend, int alerts, int patients) throws Exception {
        Map<String, Integer> before = openBySeverity();
        int have = before.values().stream().mapToInt(Integer::intValue).sum();
        if (have >= alerts) {
            say("Reusing the %,d unresolved alerts of tenant %s already in PostgreSQL.", have, TENANT);
            return new Made("reused from an earlier run on this stack", have, before, patients, 0, null, null);
        }
        if (have > 0) {
            throw new IllegalStateException("tenant " + TENANT + " has " + have + " unresolved alerts, fewer than this run needs: "
                    + "run on a fresh stack");
        }
        TenantId tenant = new TenantId(TENANT);
        Fleet fleet = Fleet.generate(tenant, patients, 42);
        long t0 = System.nanoTime();
        new FleetSeeder(ConnectionSource.of(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword())).seed(fleet, "Benchmark triage");
        applyConfig(backend);
        say("Tenant %s: %,d patients with 5 devices each seeded, alert rules applied through the API (%.1f s).", TENANT, patients,
                (System.nanoTime() - t0) / 1e9);

        List<SimMessage> messages = messages(fleet, plan(alerts, patients), System.currentTimeMillis());
        say("Publishing %,d readings over the limits to JetStream for %,d alerts; the backend's evaluator opens them…",
                messages.size(), alerts);
        long published = System.nanoTime();
        try (Connection nats = Nats.connect(env.natsUrl())) {
            JetStreamPublisher streams = new JetStreamPublisher(nats.jetStream(), nats.jetStreamManagement(), PublishSettings.defaults(),
                    line -> say("  %s", line));
            streams.awaitStream(messages.get(0).subject(), Duration.ofSeconds(60));
            publish(nats.jetStream(), messages);
        }
        Duration took = awaitOpen(alerts, published);
        long drainStart = System.nanoTime();
        Duration drained = awaitDelivered(drainStart);
        Map<String, Integer> bySeverity = openBySeverity();
        return new Made("published to NATS, opened by the backend's alert evaluator", bySeverity.values().stream()
                .mapToInt(Integer::intValue).sum(), bySeverity, patients, messages.size(), took, drained);
    }

    /** What the patients' devices send: per patient a cuff panel, then the cuff's heart rate, the oximeter, the thermometer as needed. */
    static List<SimMessage> messages(Fleet fleet, List<Planned> plan, long nowMillis) {
        ReadingEncoder encoder = new ReadingEncoder(fleet.tenant());
        Map<Integer, Map<Slot, Planned>> byPatient = new LinkedHashMap<>();
        for (Planned p : plan) {
            byPatient.computeIfAbsent(p.patient(), k -> new LinkedHashMap<>()).put(p.slot(), p);
        }
        List<SimMessage> out = new ArrayList<>();
        byPatient.forEach((index, slots) -> {
            SimPatient patient = fleet.patients().get(index);
            // spread over the last hour, so that the queue's order (opened, then id) is not one instant's
            long at = nowMillis - 60_000L * (index % 60) - 1_000;
            String cuff = patient.device(DeviceKind.BLOOD_PRESSURE_CUFF).identifier();
            String unit = VitalSign.SYSTOLIC_BP.unit();
            out.add(encoder.panel(encoder.subject(cuff), cuff, VitalSign.BLOOD_PRESSURE.code(), List.of(
                    new Measurement(Slot.SYSTOLIC.code(), value(slots, Slot.SYSTOLIC), unit),
                    new Measurement(Slot.DIASTOLIC.code(), value(slots, Slot.DIASTOLIC), unit)), at));
            if (slots.containsKey(Slot.HEART_RATE)) {
                out.add(single(encoder, cuff, slots.get(Slot.HEART_RATE), at));
            }
            if (slots.containsKey(Slot.SPO2)) {
                out.add(single(encoder, patient.device(DeviceKind.PULSE_OXIMETER).identifier(), slots.get(Slot.SPO2), at));
            }
            if (slots.containsKey(Slot.TEMPERATURE)) {
                out.add(single(encoder, patient.device(DeviceKind.THERMOMETER).identifier(), slots.get(Slot.TEMPERATURE), at));
            }
        });
        return out;
    }

    private static double value(Map<Slot, Planned> slots, Slot slot) {
        Planned p = slots.get(slot);
        return p == null ? slot.normal : p.value();
    }

    private static SimMessage single(ReadingEncoder encoder, String device, Planned p, long at) {
        return encoder.single(encoder.subject(device), device, p.slot().code(), p.value(), p.slot().vital.unit(), at);
    }

    private void applyConfig(Backend backend) throws IOException, InterruptedException {
        String document;
        try (InputStream in = TriageAlerts.class.getResourceAsStream(CONFIG_RESOURCE)) {
            document = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String token = backend.tokens().token(TENANT, "tenant-admin");
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + backend.port() + "/api/v1/alert-config"))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/yaml")
                .PUT(HttpRequest.BodyPublishers.ofString(document)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("PUT /api/v1/alert-config answered " + r.statusCode() + ": " + r.body());
        }
    }

    private static void publish(JetStream js, List<SimMessage> messages) throws Exception {
        List<CompletableFuture<PublishAck>> inFlight = new ArrayList<>(IN_FLIGHT);
        for (SimMessage m : messages) {
            inFlight.add(js.publishAsync(m.subject(), new Headers().put(JetStreamPublisher.MSG_ID_HEADER, m.msgId()), m.payload()));
            if (inFlight.size() >= IN_FLIGHT) {
                for (CompletableFuture<PublishAck> f : inFlight) {
                    f.get();
                }
                inFlight.clear();
            }
        }
        for (CompletableFuture<PublishAck> f : inFlight) {
            f.get();
        }
    }

    private Duration awaitOpen(int alerts, long since) throws Exception {
        long deadline = since + OPEN_TIMEOUT.toNanos();
        long told = System.nanoTime();
        while (true) {
            int open = openBySeverity().values().stream().mapToInt(Integer::intValue).sum();
            if (open >= alerts) {
                Duration took = Duration.ofNanos(System.nanoTime() - since);
                say("  %,d alerts open after %.1f s.", open, took.toNanos() / 1e9);
                return took;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + open + " of " + alerts + " alerts opened within " + OPEN_TIMEOUT.toMinutes()
                        + " min of publishing; see the backend's log");
            }
            if (System.nanoTime() - told > 10e9) {
                say("  … %,d of %,d alerts open after %.0f s", open, alerts, (System.nanoTime() - since) / 1e9);
                told = System.nanoTime();
            }
            Thread.sleep(500);
        }
    }

    /** Until the alerts' events and pages have gone out: the backend is measured idle, as a care manager's would mostly be. */
    private Duration awaitDelivered(long since) throws Exception {
        long deadline = since + DRAIN_TIMEOUT.toNanos();
        while (true) {
            long pending = ownerCount("SELECT count(*) FROM alert_deliveries WHERE tenant_id = ? AND status = 'pending'");
            if (pending == 0) {
                return Duration.ofNanos(System.nanoTime() - since);
            }
            if (System.nanoTime() > deadline) {
                say("  %,d deliveries of the alerts still pending after %d s; measuring anyway", pending, DRAIN_TIMEOUT.toSeconds());
                return null;
            }
            Thread.sleep(500);
        }
    }

    /** Unresolved alerts of the tenant per severity (critical, warning, info), read as the schema owner, who may scan alerts. */
    Map<String, Integer> openBySeverity() throws SQLException {
        Map<String, Integer> out = new LinkedHashMap<>();
        for (String s : List.of("critical", "warning", "info")) {
            out.put(s, 0);
        }
        try (java.sql.Connection c = DriverManager.getConnection(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword());
             PreparedStatement ps = c.prepareStatement("SELECT severity, count(*) FROM alerts WHERE tenant_id = ? "
                     + "AND status <> 'resolved' AND NOT canary GROUP BY severity")) {
            ps.setString(1, TENANT);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getInt(2));
                }
            }
        } catch (SQLException e) {
            if ("42P01".equals(e.getSQLState())) {   // no alerts table: the schema is not there yet
                return out;
            }
            throw e;
        }
        return out;
    }

    private long ownerCount(String sql) throws SQLException {
        try (java.sql.Connection c = DriverManager.getConnection(env.pgUrl(), env.pgOwner(), env.pgOwnerPassword());
             PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, TENANT);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void say(String format, Object... args) {
        out.printf(Locale.ROOT, format + "%n", args);
    }
}
