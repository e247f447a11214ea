package org.vigil.sandbox.fhir;

import ca.uhn.fhir.rest.annotation.ConditionalUrlParam;
import ca.uhn.fhir.rest.annotation.Create;
import ca.uhn.fhir.rest.annotation.IdParam;
import ca.uhn.fhir.rest.annotation.OptionalParam;
import ca.uhn.fhir.rest.annotation.Read;
import ca.uhn.fhir.rest.annotation.ResourceParam;
import ca.uhn.fhir.rest.annotation.Search;
import ca.uhn.fhir.rest.annotation.Update;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.param.ReferenceParam;
import ca.uhn.fhir.rest.param.TokenParam;
import ca.uhn.fhir.rest.server.IResourceProvider;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.DiagnosticReport;
import org.vigil.sandbox.auth.Grant;

import java.util.List;

/** DiagnosticReports (summaries): created (conditionally, with If-None-Exist), read and searched. */
public final class DiagnosticReportProvider implements IResourceProvider {

    private final FhirStore store;

    public DiagnosticReportProvider(FhirStore store) {
        this.store = store;
    }

    @Override
    public Class<DiagnosticReport> getResourceType() {
        return DiagnosticReport.class;
    }

    @Create
    public MethodOutcome create(@ResourceParam DiagnosticReport report, @ConditionalUrlParam String ifNoneExist,
                                RequestDetails request) {
        Grant grant = RequestGrant.require(request, "DiagnosticReport", Grant.CREATE);
        return Outcomes.of(store.write(List.of(WriteRequest.create(report, ifNoneExist)), grant).get(0));
    }

    @Update
    public MethodOutcome update(@IdParam IdType id, @ResourceParam DiagnosticReport report,
                                @ConditionalUrlParam String conditionalUrl, RequestDetails request) {
        Grant grant = RequestGrant.of(request);
        String logicalId = id == null || !id.hasIdPart() ? null : id.getIdPart();
        return Outcomes.of(store.write(List.of(WriteRequest.update(report,
                logicalId == null ? conditionalUrl : null, logicalId)), grant).get(0));
    }

    @Read
    public DiagnosticReport read(@IdParam IdType id, RequestDetails request) {
        RequestGrant.require(request, "DiagnosticReport", Grant.READ);
        return store.read(DiagnosticReport.class, id.getIdPart());
    }

    @Search
    public List<DiagnosticReport> search(
            @OptionalParam(name = DiagnosticReport.SP_IDENTIFIER) TokenParam identifier,
            @OptionalParam(name = DiagnosticReport.SP_SUBJECT) ReferenceParam subject,
            @OptionalParam(name = DiagnosticReport.SP_PATIENT) ReferenceParam patient,
            RequestDetails request) {
        RequestGrant.require(request, "DiagnosticReport", Grant.SEARCH);
        IdentifierQuery query = Outcomes.identifier(identifier);
        ReferenceParam who = subject != null ? subject : patient;
        return store.search(DiagnosticReport.class, report ->
                (query == null || query.matchesAny(report.getIdentifier()))
                        && (who == null || Outcomes.refersTo(report.getSubject(), who)));
    }
}
