package org.vigil.sandbox;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.EncodingEnum;
import ca.uhn.fhir.rest.api.PreferReturnEnum;
import ca.uhn.fhir.rest.server.RestfulServer;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.vigil.sandbox.auth.AccessTokens;
import org.vigil.sandbox.auth.ClientRegistry;
import org.vigil.sandbox.auth.TokenService;
import org.vigil.sandbox.fhir.DeviceProvider;
import org.vigil.sandbox.fhir.DiagnosticReportProvider;
import org.vigil.sandbox.fhir.FhirStore;
import org.vigil.sandbox.fhir.FhirTraffic;
import org.vigil.sandbox.fhir.ObservationProvider;
import org.vigil.sandbox.fhir.PatientProvider;
import org.vigil.sandbox.fhir.SmartCapabilities;
import org.vigil.sandbox.fhir.TransactionProvider;
import org.vigil.sandbox.http.BearerTokenFilter;
import org.vigil.sandbox.http.FaultFilter;
import org.vigil.sandbox.http.HttpHost;
import org.vigil.sandbox.http.JsonResponses;
import org.vigil.sandbox.http.SmartConfigurationServlet;
import org.vigil.sandbox.http.TokenServlet;
import org.vigil.sandbox.mllp.MllpBehaviour;
import org.vigil.sandbox.mllp.MllpLog;
import org.vigil.sandbox.mllp.MllpReceiver;
import org.vigil.sandbox.mllp.TlsIdentity;
import org.vigil.sandbox.validation.ValidationQueue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A stand-in for a hospital EHR that speaks the real protocols: a FHIR R4 server (HAPI, in memory) behind a SMART
 * Backend Services authorization server, and an HL7 v2 MLLP receiver, with counters for tests to assert on and
 * faults to inject. A test tool: nothing persists, and the admin API has no access control, so it binds to
 * loopback by default.
 */
public final class EhrSandbox implements AutoCloseable {

    /** How long readers of validation findings wait for the Observations already received to be validated. */
    private static final Duration VALIDATION_WAIT = Duration.ofMinutes(5);

    private final SandboxOptions options;
    private final FhirStore store;
    private final FhirTraffic traffic = new FhirTraffic();
    private final ValidationQueue validation;
    private final ClientRegistry clients;
    private final AccessTokens tokens;
    private final TokenService tokenService;
    private final AtomicBoolean requireAuth = new AtomicBoolean(true);
    private final HttpHost http;
    private final MllpBehaviour mllpBehaviour = new MllpBehaviour();
    private final MllpLog mllpLog = new MllpLog();
    private final MllpReceiver mllp;
    private final TlsIdentity tls;
    private final URI fhirBaseUrl;
    private final URI tokenUrl;

    private EhrSandbox(SandboxOptions options) throws Exception {
        this.options = options;
        Clock clock = Clock.systemUTC();
        FhirContext fhir = FhirContext.forR4();
        store = new FhirStore(fhir, clock, options.checkReferences());
        validation = options.validate() ? new ValidationQueue(fhir, options.validationThreads()) : null;
        Consumer<Observation> received = validation == null ? observation -> { } : validation::submit;
        clients = new ClientRegistry(clock, options.jwksRefetchInterval());
        tokens = new AccessTokens(clock, options.tokenLifetime());
        tokenService = new TokenService(clients, tokens, clock);

        http = new HttpHost(options.host(), options.fhirPort());
        String origin = "http://" + options.host() + ":" + http.port();
        fhirBaseUrl = URI.create(origin + "/fhir");
        tokenUrl = URI.create(origin + "/auth/token");
        JsonResponses json = new JsonResponses();

        RestfulServer rest = new RestfulServer(fhir);
        rest.setResourceProviders(new PatientProvider(store), new DeviceProvider(store),
                new ObservationProvider(store, received), new DiagnosticReportProvider(store));
        rest.registerProvider(new TransactionProvider(store, traffic, received));
        rest.registerInterceptor(new SmartCapabilities(tokenUrl.toString()));
        rest.setDefaultResponseEncoding(EncodingEnum.JSON);
        rest.setDefaultPreferReturn(PreferReturnEnum.REPRESENTATION);

        http.filter(new FaultFilter(traffic, json), "/fhir/*");
        http.filter(new BearerTokenFilter(tokens, requireAuth::get, json), "/fhir/*");
        http.servlet(rest, "/fhir/*");
        http.servlet(new SmartConfigurationServlet(fhirBaseUrl.toString(), tokenUrl.toString(), json),
                "/fhir/.well-known/smart-configuration");
        http.servlet(new TokenServlet(tokenService, tokenUrl.toString(), json), "/auth/token");
        http.servlet(new AdminServlet(this, json), "/admin/*");

        tls = options.mllpTls() ? TlsIdentity.selfSigned(options.host()) : null;
        mllp = new MllpReceiver(options.host(), options.mllpPort(), tls == null ? null : tls.sslContext(),
                mllpBehaviour, mllpLog);
    }

    /** Starts the FHIR/auth/admin HTTP server and the MLLP receiver; the validator warms up in the background. */
    public static EhrSandbox start(SandboxOptions options) {
        EhrSandbox sandbox;
        try {
            sandbox = new EhrSandbox(options);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the sandbox EHR", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the sandbox EHR", e);
        }
        try {
            sandbox.http.start();
            sandbox.mllp.start();
            return sandbox;
        } catch (Exception e) {
            sandbox.close();
            throw new IllegalStateException("cannot start the sandbox EHR", e);
        }
    }

    public static EhrSandbox start() {
        return start(SandboxOptions.defaults());
    }

    // ---- where it listens

    public SandboxOptions options() {
        return options;
    }

    /** {@code http://127.0.0.1:<port>/fhir} */
    public URI fhirBaseUrl() {
        return fhirBaseUrl;
    }

    /** {@code http://127.0.0.1:<port>/auth/token}, the exact aud client assertions must carry. */
    public URI tokenUrl() {
        return tokenUrl;
    }

    public int fhirPort() {
        return http.port();
    }

    public int mllpPort() {
        return mllp.port();
    }

    /** The MLLP server certificate (PEM) to trust; null unless started with mllpTls. */
    public String mllpCertificatePem() {
        return tls == null ? null : tls.certificatePem();
    }

    // ---- set-up

    /** Adds a patient with one identifier; the same identifier may be given to several (ambiguous matches). */
    public String addPatient(String system, String value, String family, String given) {
        return store.addPatient(system, value, family, given);
    }

    /** Registers a backend client whose public keys are at {@code jwksUrl}; it signs with RS384 or ES384. */
    public void registerClient(String clientId, URI jwksUrl, Set<String> scopes) {
        clients.register(clientId, jwksUrl, scopes, null);
    }

    /** As {@link #registerClient(String, URI, Set)}, pinned to one algorithm ("RS384" or "ES384"). */
    public void registerClient(String clientId, URI jwksUrl, Set<String> scopes, String algorithm) {
        clients.register(clientId, jwksUrl, scopes, algorithm);
    }

    /** Registers a backend client with its JWK Set given inline. */
    public void registerClient(String clientId, String jwksJson, Set<String> scopes) {
        clients.register(clientId, jwksJson, scopes, null);
    }

    /** Issues an access token directly, for tests that are not about authorization. */
    public String issueToken(Set<String> scopes) {
        return tokens.issue("sandbox-test", scopes);
    }

    /** Whether FHIR requests need a bearer token (default true). */
    public void requireAuth(boolean required) {
        requireAuth.set(required);
    }

    // ---- FHIR faults

    /** Down: connections to the FHIR port (and /auth, /admin) are refused; up: back on the same port. */
    public void fhirDown(boolean down) {
        try {
            http.down(down);
        } catch (Exception e) {
            throw new IllegalStateException("cannot take the FHIR listener " + (down ? "down" : "up"), e);
        }
    }

    /** Answers every FHIR request with this HTTP status until called with 0. */
    public void fhirStatus(int status) {
        traffic.status(status);
    }

    /** Delays every FHIR request by this much (ZERO: no delay). */
    public void fhirDelay(Duration delay) {
        traffic.delay(delay);
    }

    // ---- what FHIR received

    /** Observation identifier value → Observations created with it; exactly-once delivery means all are 1. */
    public Map<String, Integer> observationCreatesByIdentifier() {
        return store.counts("Observation").createsByIdentifier();
    }

    public int observationCount() {
        return store.counts("Observation").stored();
    }

    public List<Observation> observations() {
        return store.all(Observation.class);
    }

    /** Observation creates whose If-None-Exist matched one already stored (so nothing was created). */
    public int conditionalCreateHits() {
        return store.counts("Observation").conditionalHits();
    }

    public Map<String, Integer> diagnosticReportCreatesByIdentifier() {
        return store.counts("DiagnosticReport").createsByIdentifier();
    }

    public int diagnosticReportCount() {
        return store.counts("DiagnosticReport").stored();
    }

    public List<DiagnosticReport> diagnosticReports() {
        return store.all(DiagnosticReport.class);
    }

    public int diagnosticReportConditionalCreateHits() {
        return store.counts("DiagnosticReport").conditionalHits();
    }

    public Map<String, Integer> deviceCreatesByIdentifier() {
        return store.counts("Device").createsByIdentifier();
    }

    public int deviceCount() {
        return store.counts("Device").stored();
    }

    /** Updates of an existing Device (a conditional update that matched, or a PUT by id). */
    public int deviceUpdates() {
        return store.counts("Device").updates();
    }

    public List<Device> devices() {
        return store.all(Device.class);
    }

    public int deviceConditionalCreateHits() {
        return store.counts("Device").conditionalHits();
    }

    /** Every request that reached /fhir, whatever it was answered (faults and 401s included). */
    public int requests() {
        return traffic.requests();
    }

    /** Transaction Bundles committed. */
    public int transactionCount() {
        return traffic.transactions();
    }

    // ---- validation

    /**
     * ERROR and FATAL findings for every Observation received so far, after waiting for those still queued for
     * validation. Empty when validation is off.
     */
    public List<ValidationFinding> validationErrors() {
        if (validation == null) {
            return List.of();
        }
        validation.awaitIdle(VALIDATION_WAIT);
        return validation.errorsSoFar();
    }

    /** Warnings counted (not kept) over the Observations validated so far. */
    public int validationWarnings() {
        return validation == null ? 0 : validation.warnings();
    }

    /** Observations validated so far (without waiting for those queued). */
    public int observationsValidated() {
        return validation == null ? 0 : validation.validated();
    }

    /** Waits until the validator is built and warm, and says how long that took; null when validation is off. */
    public Duration awaitValidatorWarm() {
        return validation == null ? null : validation.awaitWarm();
    }

    // ---- SMART

    /** Token requests received, granted or not. */
    public int tokenRequests() {
        return tokenService.requests();
    }

    public int tokensIssued() {
        return tokenService.issued();
    }

    /** {@code error: description} of each refused token request, in order. */
    public List<String> tokenErrors() {
        return tokenService.errors();
    }

    /** The kids of the keys that signed accepted assertions. */
    public Set<String> assertionKids() {
        return tokenService.kids();
    }

    // ---- MLLP

    public void mllpMode(Mode mode) {
        mllpBehaviour.mode(mode);
    }

    /** Waits this long before each ACK. */
    public void mllpDelay(Duration delay) {
        mllpBehaviour.delay(delay);
    }

    /** Silent: messages are read and counted but never answered. */
    public void mllpSilent(boolean silent) {
        mllpBehaviour.silent(silent);
    }

    /** Down: the MLLP port refuses connections and open ones are closed; up: back on the same port. */
    public void mllpDown(boolean down) {
        try {
            mllp.down(down);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot take the MLLP listener " + (down ? "down" : "up"), e);
        }
    }

    /** Answers per message by its control id (MSH-10); a null answer falls back to the mode; null: no script. */
    public void mllpScript(Function<String, Mode> script) {
        mllpBehaviour.script(script);
    }

    /** MSH-10 → times a message with it was received (more than 1: a resend). */
    public Map<String, Integer> messagesByControlId() {
        return mllpLog.messagesByControlId();
    }

    /** Every message received, in order, as ER7 text (segments separated by \r). */
    public List<String> messages() {
        return mllpLog.messages();
    }

    /** ACKs sent with this code. */
    public int acked(Mode mode) {
        return mllpLog.acked(mode);
    }

    public int connectionsAccepted() {
        return mllpLog.connectionsAccepted();
    }

    /** MSH-10 → PID-3 as sent (e.g. {@code 789567^^^Imaginary Hospital^MR}). */
    public Map<String, String> patientsByControlId() {
        return mllpLog.patientsByControlId();
    }

    // ---- housekeeping

    /**
     * Forgets what was received and counted, and lifts every fault; keeps patients, clients and requireAuth.
     * Observations still queued for validation are validated first, so their findings do not leak into the next test.
     */
    public void reset() {
        if (validation != null) {
            validation.awaitIdle(VALIDATION_WAIT);
            validation.clear();
        }
        store.clearReceived();
        traffic.clearCounts();
        traffic.status(0);
        traffic.delay(Duration.ZERO);
        tokenService.clearCounts();
        mllpBehaviour.reset();
        mllpLog.clear();
        fhirDown(false);
        mllpDown(false);
    }

    /** The counters, as the admin API and the periodic log line show them. */
    public Map<String, Object> stats() {
        Map<String, Object> stats = new LinkedHashMap<>();
        stats.put("fhirRequests", requests());
        stats.put("transactions", transactionCount());
        stats.put("observations", observationCount());
        stats.put("observationConditionalHits", conditionalCreateHits());
        stats.put("duplicateObservationCreates", duplicates(observationCreatesByIdentifier()));
        stats.put("diagnosticReports", diagnosticReportCount());
        stats.put("diagnosticReportConditionalHits", diagnosticReportConditionalCreateHits());
        stats.put("devices", deviceCount());
        stats.put("deviceUpdates", deviceUpdates());
        stats.put("observationsValidated", observationsValidated());
        stats.put("validationPending", validation == null ? 0 : validation.pending());
        stats.put("validationErrors", validation == null ? 0 : validation.errorsSoFar().size());
        stats.put("validationWarnings", validationWarnings());
        stats.put("tokenRequests", tokenRequests());
        stats.put("tokensIssued", tokensIssued());
        stats.put("tokenErrors", tokenErrors().size());
        stats.put("mllpConnections", connectionsAccepted());
        stats.put("mllpMessages", messages().size());
        stats.put("mllpResends", duplicates(messagesByControlId()));
        stats.put("mllpAA", acked(Mode.AA));
        stats.put("mllpAE", acked(Mode.AE));
        stats.put("mllpAR", acked(Mode.AR));
        return stats;
    }

    /** Creates beyond the first per identifier: 0 when delivery was exactly-once. */
    private static int duplicates(Map<String, Integer> counts) {
        int extra = 0;
        for (int count : counts.values()) {
            extra += count - 1;
        }
        return extra;
    }

    /** Validation findings so far without waiting (for the admin API, which must not block). */
    List<ValidationFinding> validationErrorsSoFar() {
        return validation == null ? List.of() : validation.errorsSoFar();
    }

    @Override
    public void close() {
        try {
            mllp.close();
        } catch (IOException e) {
            // closing anyway
        }
        try {
            http.close();
        } catch (Exception e) {
            // closing anyway
        }
        if (validation != null) {
            validation.close();
        }
    }
}
