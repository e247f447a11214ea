package org.vigil.sandbox;

import java.time.Duration;

/**
 * How a sandbox EHR starts. Start from {@link #defaults()} and change what a test needs:
 * {@code SandboxOptions.defaults().withMllpTls(true).withValidate(false)}.
 *
 * @param host                where both listeners bind (loopback: this is a test tool with no access control on /admin)
 * @param fhirPort            the HTTP port of FHIR, /auth and /admin; 0 picks a free one
 * @param mllpPort            the MLLP port; 0 picks a free one
 * @param mllpTls             MLLP over TLS with a self-signed certificate made at start ({@link EhrSandbox#mllpCertificatePem()})
 * @param validate            validate every received Observation against its vital-signs profile
 * @param tokenLifetime       how long an access token lives
 * @param jwksRefetchInterval how soon a client's JWKS URL may be fetched again for an unknown kid
 * @param checkReferences     refuse writes whose references to Patient, Device, Observation or DiagnosticReport
 *                            resolve to nothing, as HAPI's JPA server and real EHRs do
 * @param validationThreads   threads validating Observations in the background
 */
public record SandboxOptions(String host, int fhirPort, int mllpPort, boolean mllpTls, boolean validate,
                             Duration tokenLifetime, Duration jwksRefetchInterval, boolean checkReferences,
                             int validationThreads) {

    public static SandboxOptions defaults() {
        return new SandboxOptions("127.0.0.1", 0, 0, false, true, Duration.ofMinutes(5), Duration.ofSeconds(2), true,
                Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public SandboxOptions withHost(String host) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }

    public SandboxOptions withFhirPort(int fhirPort) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }

    public SandboxOptions withMllpPort(int mllpPort) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }

    public SandboxOptions withMllpTls(boolean mllpTls) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }

    public SandboxOptions withValidate(boolean validate) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }

    public SandboxOptions withTokenLifetime(Duration tokenLifetime) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }

    public SandboxOptions withJwksRefetchInterval(Duration jwksRefetchInterval) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }

    public SandboxOptions withCheckReferences(boolean checkReferences) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }

    public SandboxOptions withValidationThreads(int validationThreads) {
        return new SandboxOptions(host, fhirPort, mllpPort, mllpTls, validate, tokenLifetime, jwksRefetchInterval,
                checkReferences, validationThreads);
    }
}
