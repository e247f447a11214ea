package org.vigil.ehr;

import io.micronaut.core.annotation.Nullable;
import org.vigil.alerting.config.ConfigNode;
import org.vigil.alerting.config.ConfigParser;
import org.vigil.alerting.config.ConfigRejected;
import org.vigil.alerting.config.Fields;
import org.vigil.core.TenantId;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * Reads an EHR endpoint document (YAML or JSON), reporting every problem with its line, like the alert rules:
 * <pre>
 * kind: fhir                 # or mllp
 * sandbox: true              # a test EHR or replay sink
 * fhir:   {base-url, token-url, client-id, scope, algorithm: RS384|ES384, patient-identifier-system, bundle-size}
 * mllp:   {host, port, tls, trusted-certificate, sending-application, sending-facility, receiving-application,
 *          receiving-facility, version: "2.5.1"|"2.6", window, patient-identifier-system, assigning-authority}
 * send:   {readings: all|alerting|none, summaries: none|daily|weekly, summary-as: observations|report}
 * delivery: {concurrency, timeout, max-failures, backoff-min, backoff-max, breaker-failures, breaker-open}
 * </pre>
 * Safe defaults: nothing is sent (readings none, summaries none) until the document says what.
 */
public final class EndpointReader {
    private static final Set<String> ALGORITHMS = Set.of("RS384", "ES384");
    private static final Set<String> VERSIONS = Set.of("2.5.1", "2.6");

    private EndpointReader() {
    }

    /** @throws ConfigRejected with every problem found */
    public static EhrEndpoint read(TenantId tenant, String id, String document, int version) {
        ConfigNode root = ConfigParser.parse(document);
        Fields f = new Fields(root);
        ConfigNode.Obj o = f.object(root, "kind", "sandbox", "enabled", "fhir", "mllp", "send", "delivery");
        String kindText = f.text(o, "kind", true);
        EhrEndpoint.Kind kind = null;
        if (kindText != null) {
            kind = choice(f, o.fields().get("kind"), kindText, EhrEndpoint.Kind.class);
        }
        EhrEndpoint.Fhir fhir = null;
        EhrEndpoint.Mllp mllp = null;
        if (kind == EhrEndpoint.Kind.FHIR) {
            fhir = fhir(f, section(f, o, "fhir"));
            if (o.fields().containsKey("mllp")) {
                f.problem(o.fields().get("mllp"), "a FHIR endpoint has no 'mllp' section.");
            }
        } else if (kind == EhrEndpoint.Kind.MLLP) {
            mllp = mllp(f, section(f, o, "mllp"));
            if (o.fields().containsKey("fhir")) {
                f.problem(o.fields().get("fhir"), "an MLLP endpoint has no 'fhir' section.");
            }
        }
        EhrEndpoint.Send send = send(f, o.fields().get("send"));
        EhrEndpoint.Delivery delivery = delivery(f, o.fields().get("delivery"));
        boolean sandbox = f.bool(o, "sandbox", false);
        boolean enabled = f.bool(o, "enabled", true);
        if (!f.problems().isEmpty()) {
            throw new ConfigRejected(f.problems());
        }
        return new EhrEndpoint(tenant, id, kind, fhir, mllp, send, delivery, sandbox, enabled, version);
    }

    private static ConfigNode.Obj section(Fields f, ConfigNode.Obj o, String name) {
        ConfigNode n = o.fields().get(name);
        if (n == null) {
            f.problem(o, "'" + name + "' is required for a " + name.toUpperCase(Locale.ROOT) + " endpoint.");
            return new ConfigNode.Obj(name, o.line(), o.column(), java.util.Map.of());
        }
        return f.object(n, knownOf(name));
    }

    private static String[] knownOf(String section) {
        return "fhir".equals(section)
                ? new String[]{"base-url", "token-url", "client-id", "scope", "algorithm", "patient-identifier-system", "bundle-size"}
                : new String[]{"host", "port", "tls", "trusted-certificate", "sending-application", "sending-facility",
                "receiving-application", "receiving-facility", "version", "window", "patient-identifier-system",
                "assigning-authority"};
    }

    @Nullable
    private static EhrEndpoint.Fhir fhir(Fields f, ConfigNode.Obj o) {
        URI base = url(f, o, "base-url");
        URI token = url(f, o, "token-url");
        String client = f.text(o, "client-id", true);
        String scope = f.text(o, "scope", false);
        String alg = f.text(o, "algorithm", false);
        if (alg != null && !ALGORITHMS.contains(alg)) {
            f.problem(o.fields().get("algorithm"), "'" + alg + "' is not supported; use RS384 or ES384.");
        }
        String system = f.text(o, "patient-identifier-system", true);
        int bundle = f.integer(o, "bundle-size", 1);
        if (bundle < 1 || bundle > 500) {
            f.problem(o.fields().getOrDefault("bundle-size", o), "must be between 1 (no bundles) and 500.");
        }
        if (base == null || token == null || client == null || system == null) {
            return null;
        }
        return new EhrEndpoint.Fhir(base, token, client,
                scope == null ? "system/Patient.read system/Observation.write system/Device.write system/DiagnosticReport.write" : scope,
                alg == null ? "RS384" : alg, system, bundle);
    }

    @Nullable
    private static EhrEndpoint.Mllp mllp(Fields f, ConfigNode.Obj o) {
        String host = f.text(o, "host", true);
        int port = f.integer(o, "port", -1);
        if (port < 1 || port > 65535) {
            f.problem(o.fields().getOrDefault("port", o), "'port' is required: 1–65535.");
        }
        boolean tls = f.bool(o, "tls", false);
        String cert = f.text(o, "trusted-certificate", false);
        if (cert != null && !cert.contains("BEGIN CERTIFICATE")) {
            f.problem(o.fields().get("trusted-certificate"), "must be a PEM certificate (-----BEGIN CERTIFICATE-----).");
        }
        String version = f.text(o, "version", false);
        if (version != null && !VERSIONS.contains(version)) {
            f.problem(o.fields().get("version"), "'" + version + "' is not supported; use \"2.5.1\" or \"2.6\" (quoted).");
        }
        int window = f.integer(o, "window", 1);
        if (window < 1 || window > 100) {
            f.problem(o.fields().getOrDefault("window", o), "must be between 1 (strict original-mode acknowledgement) and 100.");
        }
        String system = f.text(o, "patient-identifier-system", true);
        String authority = f.text(o, "assigning-authority", true);
        String sendingApp = f.text(o, "sending-application", false);
        String sendingFacility = f.text(o, "sending-facility", false);
        String receivingApp = f.text(o, "receiving-application", true);
        String receivingFacility = f.text(o, "receiving-facility", true);
        if (host == null || system == null || authority == null || receivingApp == null || receivingFacility == null) {
            return null;
        }
        return new EhrEndpoint.Mllp(host, port, tls, cert, sendingApp == null ? "VIGIL" : sendingApp,
                sendingFacility == null ? "VIGIL" : sendingFacility, receivingApp, receivingFacility,
                version == null ? "2.5.1" : version, window, system, authority);
    }

    private static EhrEndpoint.Send send(Fields f, @Nullable ConfigNode n) {
        if (n == null) {
            return new EhrEndpoint.Send(EhrEndpoint.Readings.NONE, EhrEndpoint.Summaries.NONE, EhrEndpoint.SummaryShape.OBSERVATIONS);
        }
        ConfigNode.Obj o = f.object(n, "readings", "summaries", "summary-as");
        EhrEndpoint.Readings readings = optionalChoice(f, o, "readings", EhrEndpoint.Readings.class, EhrEndpoint.Readings.NONE);
        EhrEndpoint.Summaries summaries = optionalChoice(f, o, "summaries", EhrEndpoint.Summaries.class, EhrEndpoint.Summaries.NONE);
        EhrEndpoint.SummaryShape shape = optionalChoice(f, o, "summary-as", EhrEndpoint.SummaryShape.class,
                EhrEndpoint.SummaryShape.OBSERVATIONS);
        return new EhrEndpoint.Send(readings, summaries, shape);
    }

    private static EhrEndpoint.Delivery delivery(Fields f, @Nullable ConfigNode n) {
        EhrEndpoint.Delivery d = EhrEndpoint.Delivery.DEFAULT;
        if (n == null) {
            return d;
        }
        ConfigNode.Obj o = f.object(n, "concurrency", "timeout", "max-failures", "backoff-min", "backoff-max",
                "breaker-failures", "breaker-open");
        int concurrency = bounded(f, o, "concurrency", d.concurrency(), 1, 32);
        int maxFailures = bounded(f, o, "max-failures", d.maxFailures(), 1, 100);
        int breakerFailures = bounded(f, o, "breaker-failures", d.breakerFailures(), 1, 1000);
        Duration timeout = positive(f, o, "timeout", d.timeout());
        Duration min = positive(f, o, "backoff-min", d.backoffMin());
        Duration max = positive(f, o, "backoff-max", d.backoffMax());
        Duration open = positive(f, o, "breaker-open", d.breakerOpen());
        if (max.compareTo(min) < 0) {
            f.problem(o.fields().getOrDefault("backoff-max", o), "must not be shorter than backoff-min.");
        }
        return new EhrEndpoint.Delivery(concurrency, timeout, maxFailures, min, max, breakerFailures, open);
    }

    private static int bounded(Fields f, ConfigNode.Obj o, String name, int otherwise, int min, int max) {
        int v = f.integer(o, name, otherwise);
        if (v < min || v > max) {
            f.problem(o.fields().get(name), "must be between " + min + " and " + max + ".");
            return otherwise;
        }
        return v;
    }

    private static Duration positive(Fields f, ConfigNode.Obj o, String name, Duration otherwise) {
        Duration d = f.duration(o, name, otherwise);
        if (d == null || d.isZero() || d.isNegative()) {
            f.problem(o.fields().getOrDefault(name, o), "must be a positive duration.");
            return otherwise;
        }
        return d;
    }

    @Nullable
    private static URI url(Fields f, ConfigNode.Obj o, String name) {
        String v = f.text(o, name, true);
        if (v == null) {
            return null;
        }
        try {
            URI u = URI.create(v.endsWith("/") ? v.substring(0, v.length() - 1) : v);
            if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
                f.problem(o.fields().get(name), "must be an http(s) URL.");
                return null;
            }
            return u;
        } catch (IllegalArgumentException e) {
            f.problem(o.fields().get(name), "is not a URL: " + e.getMessage());
            return null;
        }
    }

    private static <E extends Enum<E>> E optionalChoice(Fields f, ConfigNode.Obj o, String name, Class<E> type, E otherwise) {
        String v = f.text(o, name, false);
        if (v == null) {
            return otherwise;
        }
        E e = choice(f, o.fields().get(name), v, type);
        return e == null ? otherwise : e;
    }

    @Nullable
    private static <E extends Enum<E>> E choice(Fields f, ConfigNode at, String value, Class<E> type) {
        for (E e : type.getEnumConstants()) {
            if (e.name().equalsIgnoreCase(value.replace('-', '_'))) {
                return e;
            }
        }
        StringBuilder known = new StringBuilder();
        for (E e : type.getEnumConstants()) {
            known.append(known.length() == 0 ? "" : ", ").append(e.name().toLowerCase(Locale.ROOT).replace('_', '-'));
        }
        f.problem(at, "'" + value + "' is not one of: " + known + ".");
        return null;
    }
}
