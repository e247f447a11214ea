package org.vigil.ehr.internal;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.IParser;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.ObjectMapper;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Device;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.vigil.ehr.DeviceInfo;
import org.vigil.ehr.EhrEndpoint;
import org.vigil.ehr.ObservationItem;
import org.vigil.ehr.SummaryItem;
import org.vigil.ehr.auth.AccessTokens;
import org.vigil.ehr.auth.TokenUnavailable;
import org.vigil.ehr.fhir.FhirResources;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FHIR R4 REST with SMART Backend Services. Each item is a conditional create on its deterministic identifier
 * ({@code If-None-Exist}), so a retry after a timeout finds the Observation the first try made instead of making a
 * second. The subject is found by the tenant's patient identifier and must match exactly one Patient; none or
 * several hold the item (never a guess). Devices are created or updated by identifier before their first
 * Observation and again whenever what we know of them changes. With a bundle size above one, items go as
 * transaction bundles; a bundle the server refuses is re-sent item by item so one bad item cannot block the rest.
 */
final class FhirTransport implements Transport {
    private static final Duration PATIENT_TTL = Duration.ofMinutes(10);
    private static final String JSON = "application/fhir+json";

    private final EhrEndpoint endpoint;
    private final EhrEndpoint.Fhir fhir;
    private final AccessTokens tokens;
    private final FhirResources resources;
    private final FhirContext context;
    private final ObjectMapper json;
    private final HttpClient http;
    private final Duration timeout;
    private final Map<UUID, Resolved> patients = new ConcurrentHashMap<>();
    private final Map<UUID, String> deviceRefs = new ConcurrentHashMap<>();
    private final Map<UUID, String> deviceHashes = new ConcurrentHashMap<>();

    private record Resolved(String reference, Instant until) {
    }

    FhirTransport(EhrEndpoint endpoint, AccessTokens tokens, FhirContext context, ObjectMapper json, HttpClient http) {
        this.endpoint = endpoint;
        this.fhir = endpoint.fhir();
        this.tokens = tokens;
        this.context = context;
        this.resources = new FhirResources(context);
        this.json = json;
        this.http = http;
        this.timeout = endpoint.delivery().timeout();
    }

    @Override
    public int itemsPerSend() {
        return fhir.bundleSize();
    }

    @Override
    public int perPatient() {
        // A transaction commits all its entries or none, so a patient's items inside one bundle stay in order.
        return fhir.bundleSize() == 1 ? 1 : Math.max(1, Math.min(10, fhir.bundleSize() / 2));
    }

    /** Something the server or the network said that is the endpoint's problem, not the item's. */
    private static final class EndpointFailure extends Exception {
        EndpointFailure(String message) {
            super(message);
        }
    }

    /** The server refused what we sent. */
    private static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    @Override
    public List<Outcome> send(List<Outbox.Claimed> items) {
        Map<UUID, Outcome> out = new LinkedHashMap<>();
        try {
            Map<UUID, String> subjects = new LinkedHashMap<>();
            List<Outbox.Claimed> sendable = new ArrayList<>();
            for (Outbox.Claimed i : items) {
                if (out.containsKey(i.itemId())) {
                    continue;
                }
                String subject = subjects.containsKey(i.patient()) ? subjects.get(i.patient()) : subject(i, items, out);
                subjects.put(i.patient(), subject);
                if (subject != null) {
                    sendable.add(i);
                }
            }
            if (fhir.bundleSize() > 1 && sendable.size() > 1) {
                try {
                    bundle(sendable, subjects, out);
                } catch (Refused r) {
                    singly(sendable, subjects, out);  // find the item the server objects to; the others go through
                }
            } else {
                singly(sendable, subjects, out);
            }
        } catch (EndpointFailure e) {
            for (Outbox.Claimed i : items) {
                out.putIfAbsent(i.itemId(), Outcome.of(i.itemId(), Outcome.Result.UNREACHABLE, e.getMessage()));
            }
        }
        List<Outcome> result = new ArrayList<>();
        for (Outbox.Claimed i : items) {
            result.add(out.getOrDefault(i.itemId(), Outcome.of(i.itemId(), Outcome.Result.SKIPPED, "not tried")));
        }
        return result;
    }

    /** The patient's reference at the EHR, or null with HELD outcomes recorded for all of the patient's items. */
    @Nullable
    private String subject(Outbox.Claimed item, List<Outbox.Claimed> all, Map<UUID, Outcome> out) throws EndpointFailure {
        String reason = item.identityProblem();
        String detail = reason == null ? null : "the registry has no single identifier of system " + fhir.patientIdentifierSystem();
        String reference = null;
        if (reason == null) {
            Resolved known = patients.get(item.patient());
            if (known != null && Instant.now().isBefore(known.until())) {
                return known.reference();
            }
            String query = fhir.patientIdentifierSystem() + "|" + item.identity().value();
            Bundle found;
            try {
                found = (Bundle) parse(request("GET", fhir.baseUrl() + "/Patient?identifier=" + enc(query) + "&_elements=id", null, null));
            } catch (Refused r) {
                // A search the server will not run is a problem of the endpoint (scope, configuration), not of the item.
                throw new EndpointFailure("patient search refused: " + r.getMessage());
            }
            int n = found.getEntry().size();
            if (n == 1) {
                reference = "Patient/" + found.getEntryFirstRep().getResource().getIdElement().getIdPart();
                patients.put(item.patient(), new Resolved(reference, Instant.now().plus(PATIENT_TTL)));
                return reference;
            }
            reason = n == 0 ? "patient-not-found" : "patient-ambiguous";
            detail = n == 0 ? "no Patient with identifier " + query : n + " Patients with identifier " + query + "; none is guessed";
        }
        for (Outbox.Claimed i : all) {
            if (i.patient().equals(item.patient())) {
                out.put(i.itemId(), Outcome.held(i.itemId(), reason, detail));
            }
        }
        return null;
    }

    private void singly(List<Outbox.Claimed> items, Map<UUID, String> subjects, Map<UUID, Outcome> out) throws EndpointFailure {
        Set<UUID> stopped = new java.util.HashSet<>();
        for (Outbox.Claimed i : items) {
            if (out.containsKey(i.itemId()) && out.get(i.itemId()).result() != Outcome.Result.SKIPPED) {
                continue;
            }
            if (stopped.contains(i.patient())) {
                out.put(i.itemId(), Outcome.of(i.itemId(), Outcome.Result.SKIPPED, "an earlier item of the patient failed"));
                continue;
            }
            try {
                List<Entry> entries = entries(i, subjects.get(i.patient()));
                if (entries.size() == 1) {
                    Entry e = entries.get(0);
                    e.resource().setId((String) null);  // a bundle-local urn:uuid means nothing outside a bundle
                    HttpResponse<String> r = request("POST", fhir.baseUrl() + "/" + e.resource().fhirType(), e.ifNoneExist(),
                            context.newJsonParser().encodeResourceToString(e.resource()));
                    out.put(i.itemId(), Outcome.delivered(i.itemId(), r.statusCode() == 200 ? "already there" : "created",
                            location(r), null, null));
                } else {
                    Bundle response = (Bundle) parse(request("POST", fhir.baseUrl().toString(), null,
                            context.newJsonParser().encodeResourceToString(transaction(entries))));
                    out.put(i.itemId(), Outcome.delivered(i.itemId(), "transaction of " + entries.size(), firstLocation(response), null, null));
                }
            } catch (Refused r) {
                out.put(i.itemId(), Outcome.of(i.itemId(), Outcome.Result.REFUSED, r.getMessage()));
                stopped.add(i.patient());
            } catch (IOException e) {
                out.put(i.itemId(), Outcome.of(i.itemId(), Outcome.Result.REFUSED, "cannot be rendered: " + e));
                stopped.add(i.patient());
            }
        }
    }

    private void bundle(List<Outbox.Claimed> items, Map<UUID, String> subjects, Map<UUID, Outcome> out)
            throws EndpointFailure, Refused {
        List<Entry> entries = new ArrayList<>();
        Map<Integer, UUID> owner = new LinkedHashMap<>();
        for (Outbox.Claimed i : items) {
            try {
                for (Entry e : entries(i, subjects.get(i.patient()))) {
                    owner.put(entries.size(), i.itemId());
                    entries.add(e);
                }
            } catch (IOException e) {
                throw new Refused("cannot be rendered: " + e);
            }
        }
        Bundle response = (Bundle) parse(request("POST", fhir.baseUrl().toString(), null,
                context.newJsonParser().encodeResourceToString(transaction(entries))));
        Map<UUID, String> firstLocation = new LinkedHashMap<>();
        for (int k = 0; k < response.getEntry().size() && k < entries.size(); k++) {
            String loc = response.getEntry().get(k).getResponse().getLocation();
            firstLocation.putIfAbsent(owner.get(k), loc);
        }
        for (Outbox.Claimed i : items) {
            out.put(i.itemId(), Outcome.delivered(i.itemId(), "in a transaction of " + entries.size(),
                    firstLocation.get(i.itemId()), null, null));
        }
    }

    /** A resource to create, with the search that finds it if it already exists. */
    private record Entry(Resource resource, String ifNoneExist) {
    }

    private List<Entry> entries(Outbox.Claimed item, String subject) throws IOException, EndpointFailure, Refused {
        Reference patient = new Reference(subject);
        if ("summary".equals(item.kind())) {
            SummaryItem s = json.readValue(item.payload(), SummaryItem.class);
            List<Observation> observations = resources.summaryObservations(s, item.patient(), patient);
            List<Entry> out = new ArrayList<>();
            List<Reference> results = new ArrayList<>();
            for (Observation o : observations) {
                String fullUrl = "urn:uuid:" + UUID.randomUUID();
                o.setId(fullUrl);
                results.add(new Reference(fullUrl));
                out.add(new Entry(o, resources.conditionalCreate(o.getIdentifierFirstRep())));
            }
            if (endpoint.send().summaryAs() == EhrEndpoint.SummaryShape.REPORT) {
                DiagnosticReport report = resources.summaryReport(s, item.patient(), patient, results);
                out.add(new Entry(report, resources.conditionalCreate(report.getIdentifierFirstRep())));
            }
            return out;
        }
        ObservationItem o = json.readValue(item.payload(), ObservationItem.class);
        Reference device = device(o.device());
        return List.of(new Entry(resources.observation(o, patient, device), resources.conditionalCreate(o)));
    }

    private Bundle transaction(List<Entry> entries) {
        List<Bundle.BundleEntryComponent> list = new ArrayList<>();
        for (Entry e : entries) {
            Bundle.BundleEntryComponent c = resources.createEntry(e.resource(), e.ifNoneExist());
            if (e.resource().getIdElement().getValue() != null && e.resource().getIdElement().getValue().startsWith("urn:uuid:")) {
                c.setFullUrl(e.resource().getIdElement().getValue());
                e.resource().setId((String) null);
            }
            list.add(c);
        }
        return resources.transaction(list);
    }

    /** The Device at the EHR, created or brought up to date when what we know of it changed. */
    @Nullable
    private Reference device(DeviceInfo d) throws EndpointFailure {
        String hash = resources.deviceHash(d);
        String known = deviceRefs.get(d.deviceId());
        if (known != null && hash.equals(deviceHashes.get(d.deviceId()))) {
            return new Reference(known);
        }
        try {
            Device device = resources.device(d);
            HttpResponse<String> r = request("PUT", fhir.baseUrl() + "/" + encodedQuery(resources.deviceConditionalUrl(d)), null,
                    context.newJsonParser().encodeResourceToString(device));
            String loc = location(r);
            if (loc == null) {
                return null;
            }
            String ref = loc.replaceAll("^.*?(Device/[^/]+).*$", "$1");
            deviceRefs.put(d.deviceId(), ref);
            deviceHashes.put(d.deviceId(), hash);
            return new Reference(ref);
        } catch (Refused r) {
            return null;  // the EHR will not keep our Device: the Observation still goes, without the reference
        }
    }

    private HttpResponse<String> request(String method, String url, @Nullable String ifNoneExist, @Nullable String body)
            throws EndpointFailure, Refused {
        for (int attempt = 0; ; attempt++) {
            String bearer;
            try {
                bearer = tokens.bearer(endpoint.tenant(), endpoint.id(), fhir);
            } catch (TokenUnavailable t) {
                throw new EndpointFailure("no access token: " + t.getMessage());
            }
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(timeout)
                    .header("Authorization", "Bearer " + bearer).header("Accept", JSON);
            if (ifNoneExist != null) {
                b.header("If-None-Exist", ifNoneExist);
            }
            b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
            if (body != null) {
                b.header("Content-Type", JSON + "; charset=utf-8");
            }
            HttpResponse<String> r;
            try {
                r = http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new EndpointFailure(method + " " + url + ": " + e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new EndpointFailure("interrupted");
            }
            int s = r.statusCode();
            if (s == 401 && attempt == 0) {
                tokens.invalidate(endpoint.tenant(), endpoint.id());  // expired early or revoked: one fresh token
                continue;
            }
            if (s >= 200 && s < 300) {
                return r;
            }
            String what = method + " " + url + " → " + s + diagnostics(r.body());
            if (s == 401 || s == 403 || s == 408 || s == 429 || s == 502 || s == 503 || s == 504) {
                throw new EndpointFailure(what);
            }
            throw new Refused(what);
        }
    }

    private Resource parse(HttpResponse<String> r) throws Refused {
        try {
            IParser p = context.newJsonParser();
            return (Resource) p.parseResource(r.body());
        } catch (RuntimeException e) {
            throw new Refused("the answer is not FHIR JSON: " + e.getMessage());
        }
    }

    private String diagnostics(String body) {
        try {
            if (body != null && body.contains("OperationOutcome")) {
                OperationOutcome oo = context.newJsonParser().parseResource(OperationOutcome.class, body);
                StringBuilder b = new StringBuilder();
                oo.getIssue().forEach(i -> b.append(b.length() == 0 ? ": " : "; ").append(i.getDiagnostics()));
                return b.toString();
            }
        } catch (RuntimeException ignored) {
            // not an OperationOutcome after all
        }
        return body == null || body.isBlank() ? "" : ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body);
    }

    @Nullable
    private static String location(HttpResponse<String> r) {
        String loc = r.headers().firstValue("Location").or(() -> r.headers().firstValue("Content-Location")).orElse(null);
        if (loc == null) {
            return null;
        }
        return loc.replaceAll("^.*?/((?:Observation|DiagnosticReport|Device)/[^/]+)(/_history/.*)?$", "$1");
    }

    @Nullable
    private static String firstLocation(Bundle response) {
        return response.getEntry().isEmpty() ? null : response.getEntryFirstRep().getResponse().getLocation();
    }

    /** {@code Type?name=value&…} with each value percent-encoded ('|' and ':' in tokens are not legal in a URI). */
    private static String encodedQuery(String relative) {
        int q = relative.indexOf('?');
        if (q < 0) {
            return relative;
        }
        StringBuilder b = new StringBuilder(relative.substring(0, q + 1));
        for (String param : relative.substring(q + 1).split("&")) {
            int eq = param.indexOf('=');
            b.append(b.charAt(b.length() - 1) == '?' ? "" : "&").append(param, 0, eq + 1).append(enc(param.substring(eq + 1)));
        }
        return b.toString();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        // the HttpClient is shared
    }
}
