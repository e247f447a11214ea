package org.vigil.ehr;

import io.micronaut.core.annotation.Nullable;
import org.vigil.core.TenantId;

import java.net.URI;
import java.time.Duration;

/**
 * One EHR a tenant sends to, as configured (see {@code EndpointReader} for the document). Exactly one of
 * {@code fhir} and {@code mllp} is set, as {@code kind} says.
 *
 * @param sandbox a sandbox endpoint (a test EHR, a replay sink): shown as such everywhere, and the only kind a
 *                replay may write to
 */
public record EhrEndpoint(TenantId tenant, String id, Kind kind, @Nullable Fhir fhir, @Nullable Mllp mllp, Send send,
                          Delivery delivery, boolean sandbox, boolean enabled, int version) {

    public enum Kind { FHIR, MLLP }

    /** What goes to this endpoint. */
    public enum Readings { ALL, ALERTING, NONE }

    public enum Summaries { NONE, DAILY, WEEKLY }

    /** How a summary is sent: one Observation per vital statistic, or a DiagnosticReport grouping them. */
    public enum SummaryShape { OBSERVATIONS, REPORT }

    public record Send(Readings readings, Summaries summaries, SummaryShape summaryAs) {
    }

    /**
     * A FHIR R4 server with SMART Backend Services authorization.
     *
     * @param patientIdentifierSystem the system of the identifier (MRN) patients are searched by; the registry's
     *                                patient identifier with this system is the value
     * @param bundleSize              1: one conditional create per request; more: transaction bundles of up to this many
     */
    public record Fhir(URI baseUrl, URI tokenUrl, String clientId, String scope, String algorithm,
                       String patientIdentifierSystem, int bundleSize) {
    }

    /**
     * An HL7 v2 receiver over MLLP.
     *
     * @param version                 "2.5.1" or "2.6" (MSH-12)
     * @param window                  1: strict original-mode acknowledgement, one message at a time; more: up to this
     *                                many messages in flight on the connection before their ACKs
     * @param patientIdentifierSystem the registry identifier system whose value goes in PID-3
     * @param assigningAuthority      PID-3.4, the namespace the receiver knows that identifier by
     */
    public record Mllp(String host, int port, boolean tls, @Nullable String trustedCertificate, String sendingApplication,
                       String sendingFacility, String receivingApplication, String receivingFacility, String version,
                       int window, String patientIdentifierSystem, String assigningAuthority) {
    }

    /**
     * How the dispatcher treats this endpoint.
     *
     * @param concurrency     sends in flight at once
     * @param maxFailures     failures of an item itself (a rejection, an AE) before it is dead-lettered; an
     *                        unreachable endpoint does not count against its items
     * @param breakerFailures consecutive endpoint failures that open the circuit breaker
     * @param breakerOpen     how long the breaker stays open before one probe (doubling while probes fail, up to 8×)
     */
    public record Delivery(int concurrency, Duration timeout, int maxFailures, Duration backoffMin, Duration backoffMax,
                           int breakerFailures, Duration breakerOpen) {
        public static final Delivery DEFAULT = new Delivery(4, Duration.ofSeconds(10), 8, Duration.ofSeconds(1),
                Duration.ofMinutes(5), 5, Duration.ofSeconds(10));
    }
}
